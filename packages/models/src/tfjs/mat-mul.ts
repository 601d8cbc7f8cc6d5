import * as tf from '@tensorflow/tfjs-core';

/** Relative cost of packing one element of a product's second operand (XNNPACK packs it as "weights"). */
const PACK_COST = 3;

/**
 * op(a) · op(b) for 2-D tensors, op = transpose when asked, computed as a plain (non-transposed)
 * `tf.matMul` after explicit transposes of whichever operands make that cheapest: the wasm backend's
 * BatchMatMul with `transposeA`/`transposeB` takes a slow path (≈ 30× slower than the plain product for
 * 1000 × 784 by 784 × 40), while a transpose costs one pass over its operand. Uses the identities
 * aᵀ b = (bᵀ a)ᵀ, a bᵀ = (b aᵀ)ᵀ, aᵀ bᵀ = (b a)ᵀ, choosing by the elements transposed plus, when
 * `secondOperandCached` is false, the elements of the second operand that the wasm kernel packs (it
 * caches the packing per tensor, so a long-lived operand such as the data is packed once).
 * Differentiable (Transpose and BatchMatMul have gradients), so it serves in forward passes and inside
 * gradient functions alike.
 */
export function matMulFast(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false, secondOperandCached = true): tf.Tensor2D {
  const A = a as tf.Tensor2D;
  const B = b as tf.Tensor2D;
  if (!transposeA && !transposeB) return tf.matMul(A, B);
  const rows = transposeA ? A.shape[1] : A.shape[0];
  const columns = transposeB ? B.shape[0] : B.shape[1];
  const result = rows * columns;
  const pack = (size: number) => (secondOperandCached ? 0 : PACK_COST * size);
  const T = (x: tf.Tensor2D) => tf.transpose(x) as tf.Tensor2D;
  if (transposeA && transposeB) {
    // aᵀ bᵀ = (b a)ᵀ, or transpose both.
    return result + pack(A.size) <= A.size + B.size + pack(B.size) ? T(tf.matMul(B, A)) : tf.matMul(T(A), T(B));
  }
  if (transposeA) {
    // aᵀ b: transpose a, or compute (bᵀ a)ᵀ transposing b and the result.
    return A.size + pack(B.size) <= B.size + result + pack(A.size) ? tf.matMul(T(A), B) : T(tf.matMul(T(B), A));
  }
  // a bᵀ: transpose b, or compute (b aᵀ)ᵀ transposing a and the result.
  return B.size + pack(B.size) <= A.size + result + pack(A.size) ? tf.matMul(A, T(B)) : T(tf.matMul(B, T(A)));
}
