import { InvalidArgumentError } from '@intrinsic/spectra';
import type { Dataset } from '../data.js';
import { mlpForward } from '../mlp-engine.js';
import type { MlpSpec } from '../spec.js';

/** Options of {@link teacherDataset}. */
export interface TeacherOptions {
  /** The teacher network and its parameters. */
  spec: MlpSpec;
  params: Float64Array;
  /** Inputs N × d (d = the teacher's input width). */
  inputs: Float64Array;
  count: number;
  /** `regression`: targets are the teacher's outputs; `classification` (default): labels are their argmax. */
  task?: 'regression' | 'classification';
}

/**
 * Labels inputs with a teacher network (the teacher–student setting): targets f_teacher(x) for
 * regression, or one-hot argmax_k f_teacher(x)_k for classification, computed in float64.
 * @throws InvalidArgumentError when the inputs do not have N × d entries.
 */
export function teacherDataset(options: TeacherOptions): Dataset {
  const { spec, params, inputs, count } = options;
  const d = spec.widths[0];
  const K = spec.widths[spec.widths.length - 1];
  if (inputs.length !== count * d) throw new InvalidArgumentError(`teacherDataset: ${inputs.length} input values, expected ${count} × ${d}`);
  const outputs = mlpForward(spec, params, { inputs, targets: new Float64Array(count * K), count, inputSize: d, outputSize: K, description: '' });
  const name = `teacher ${spec.widths.join('-')} ${spec.activation}${spec.bias ? ' bias' : ''} seed ${spec.seed}`;
  if (options.task === 'regression') {
    return { inputs, targets: outputs, count, inputSize: d, outputSize: K, description: `${name}: regression N=${count}` };
  }
  const labels = new Int32Array(count);
  const targets = new Float64Array(count * K);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (outputs[i * K + k] > outputs[i * K + best]) best = k;
    labels[i] = best;
    targets[i * K + best] = 1;
  }
  return { inputs, targets, labels, count, inputSize: d, outputSize: K, description: `${name}: classification by argmax N=${count}` };
}
