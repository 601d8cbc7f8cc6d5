import { isSystemError, isUserError } from './cli-error.js';
import { INTERRUPTED_EXIT_CODE, InterruptedError, interrupted, resetInterrupt } from './interrupt.js';

/** Command modules, loaded lazily so that `intrinsic rank` does not load the others. */
const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  rank: { summary: 'exact ranks of H, H_O and H_F with the closed-form predictions', load: () => import('./commands/rank.js') },
  spectrum: { summary: 'top eigenvalues, trace and spectral density by Hessian-vector products', load: () => import('./commands/spectrum.js') },
  sweep: { summary: 'ranks across widths, depths or sample sizes, with theory, CSV/JSON and plots', load: () => import('./commands/sweep.js') },
  train: { summary: 'train a network on TensorFlow.js (MNIST, Fashion-MNIST, synthetic)', load: () => import('./commands/train.js') },
  prune: { summary: 'one-shot and gradual pruning: magnitude, diagonal Fisher, OBD, OBS, WoodFisher, K-FAC', load: () => import('./commands/prune.js') },
  bound: { summary: 'PAC-Bayes (Dziugaite–Roy), norm, sharpness and Lipschitz bounds of a trained network', load: () => import('./commands/bound.js') },
  'double-descent': { summary: 'test loss, λ_min⁺, influence estimate and Lipschitz bounds across widths', load: () => import('./commands/double-descent.js') },
};

export const globalUsage = `intrinsic — the intrinsic structure of neural networks

usage: intrinsic <command> [flags]     (intrinsic <command> --help for its flags)

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`)
  .join('\n')}`;

/**
 * Runs the command line. User errors (bad flags, invalid values, memory budget, paths the system
 * refuses) print one line on stderr and return exit code 2; anything else is a bug and keeps its stack. A command that was interrupted by
 * Ctrl-C (interrupt.ts; `sweep` and `train` write what is finished first) returns 130.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${globalUsage}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    const shown = name.replace(/[\r\n\u2028\u2029]/g, ' ').slice(0, 40);
    process.stderr.write(`intrinsic: unknown command '${shown}'; commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  resetInterrupt();
  try {
    const module = await command.load();
    const code = await module.run(rest);
    return interrupted() ? INTERRUPTED_EXIT_CODE : code;
  } catch (error) {
    if (error instanceof InterruptedError) {
      process.stderr.write(`intrinsic ${name}: ${error.message}\n`);
      return INTERRUPTED_EXIT_CODE;
    }
    if (isUserError(error) || isSystemError(error)) {
      const message = error.message.startsWith('intrinsic') ? error.message : `intrinsic ${name}: ${error.message}`;
      process.stderr.write(`${message.split('\n')[0]}\n`);
      return 2;
    }
    throw error;
  }
}
