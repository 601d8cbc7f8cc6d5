/**
 * Ctrl-C handling for long commands (issue #10, "Resource guards").
 *
 * The first SIGINT or SIGTERM only sets a flag: a long loop polls `interrupted()` (or calls
 * `throwIfInterrupted()`) between units of work, writes what is finished and exits with code 130
 * (128 + SIGINT, the shell convention). A second signal exits at once with 130, for a user who does not
 * want to wait for the current unit to finish.
 *
 * Usage in a command:
 *
 * ```ts
 * const stop = onInterrupt();          // installs the handlers; idempotent
 * try {
 *   for (const item of items) {
 *     if (interrupted()) break;        // finish cleanly with what is done
 *     work(item);
 *   }
 * } finally { stop(); }
 * if (interrupted()) { writePartial(); return INTERRUPTED_EXIT_CODE; }
 * ```
 */

/** The exit code of a command ended by Ctrl-C: 128 + SIGINT (2). */
export const INTERRUPTED_EXIT_CODE = 130;

/** Thrown by `throwIfInterrupted()`; commands catch it, write what is done and return 130. */
export class InterruptedError extends Error {
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}

let interruptRequested = false;
let installs = 0;
let listening = false;
const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

function handleSignal(signal: NodeJS.Signals): void {
  if (interruptRequested) {
    process.stderr.write(`\nintrinsic: second ${signal}, exiting now\n`);
    process.exit(INTERRUPTED_EXIT_CODE);
  }
  interruptRequested = true;
  process.stderr.write(`\nintrinsic: ${signal} received, finishing the current step and writing what is done (press Ctrl-C again to exit now)\n`);
}

/**
 * Installs the SIGINT/SIGTERM handlers (reference-counted: nested commands share one pair) and returns a
 * function that removes them again. While installed, a first signal sets the flag read by `interrupted()`.
 */
export function onInterrupt(): () => void {
  if (!listening) {
    for (const signal of signals) process.on(signal, handleSignal);
    listening = true;
  }
  installs++;
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    installs--;
    // After a first signal the handlers stay: a second Ctrl-C while the command writes what is done and
    // exits must still exit with 130, not be killed by the default action.
    if (installs === 0 && !interruptRequested) {
      for (const signal of signals) process.off(signal, handleSignal);
      listening = false;
    }
  };
}

/** True once a SIGINT/SIGTERM arrived while the handlers were installed. */
export function interrupted(): boolean {
  return interruptRequested;
}

/** Throws `InterruptedError` when an interrupt is pending; call between units of work in long loops. */
export function throwIfInterrupted(): void {
  if (interruptRequested) throw new InterruptedError();
}

/**
 * Runs `step(i)` for i = 0..count−1, stopping early after a step when an interrupt is pending. Returns the
 * number of steps completed, so the caller can write what is done.
 */
export async function forEachUntilInterrupted(count: number, step: (index: number) => Promise<void> | void): Promise<number> {
  let done = 0;
  for (let i = 0; i < count; i++) {
    if (interruptRequested) break;
    await step(i);
    done++;
  }
  return done;
}

/** Requests an interrupt as a signal would (tests and programmatic cancellation). */
export function requestInterrupt(): void {
  interruptRequested = true;
}

/** Clears the flag (tests, and the in-process CLI helper between runs). */
export function resetInterrupt(): void {
  interruptRequested = false;
  // Handlers kept after an interrupt (see onInterrupt) go once no command holds them.
  if (installs === 0 && listening) {
    for (const signal of signals) process.off(signal, handleSignal);
    listening = false;
  }
}
