import * as tf from '@tensorflow/tfjs-core';

const size = (t: tf.Tensor) => t.size;

/**
 * op(a) · op(b) for 2-D tensors, op = transpose when asked, computed as a plain (non-transposed)
 * `tf.matMul` after explicit transposes of whichever operands make that cheapest: the wasm backend's
 * BatchMatMul with `transposeA`/`transposeB` takes a slow path (≈ 30× slower than the plain product for
 * 1000 × 784 by 784 × 40), while a transpose costs one pass over its operand. Uses the identities
 * aᵀ b = (bᵀ a)ᵀ, a bᵀ = (b aᵀ)ᵀ, aᵀ bᵀ = (b a)ᵀ. Differentiable (Transpose and BatchMatMul have
 * gradients), so it serves in forward passes and inside gradient functions alike.
 */
export function matMulFast(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor2D {
  const A = a as tf.Tensor2D;
  const B = b as tf.Tensor2D;
  if (!transposeA && !transposeB) return tf.matMul(A, B);
  const rows = transposeA ? A.shape[1] : A.shape[0];
  const columns = transposeB ? B.shape[0] : B.shape[1];
  const result = rows * columns;
  if (transposeA && transposeB) return tf.transpose(tf.matMul(B, A)) as tf.Tensor2D;
  if (transposeA) {
    // aᵀ b: transpose a, or compute (bᵀ a)ᵀ transposing b and the result.
    return size(A) <= size(B) + result ? tf.matMul(tf.transpose(A) as tf.Tensor2D, B) : (tf.transpose(tf.matMul(tf.transpose(B) as tf.Tensor2D, A)) as tf.Tensor2D);
  }
  // a bᵀ: transpose b, or compute (b aᵀ)ᵀ transposing a and the result.
  return size(B) <= size(A) + result ? tf.matMul(A, tf.transpose(B) as tf.Tensor2D) : (tf.transpose(tf.matMul(B, tf.transpose(A) as tf.Tensor2D)) as tf.Tensor2D);
}
