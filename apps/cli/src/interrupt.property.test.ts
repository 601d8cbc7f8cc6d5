import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forEachUntilInterrupted, InterruptedError, interrupted, onInterrupt, requestInterrupt, resetInterrupt, throwIfInterrupted } from './interrupt.js';

/**
 * The Ctrl-C helpers of interrupt.ts: a signal while the handlers are installed sets the flag; the loop
 * helper finishes the step in progress and stops; handlers are removed when the last user is done, so
 * that Node's default (exit at once) applies again.
 */
afterEach(() => {
  resetInterrupt();
  vi.restoreAllMocks();
});

describe('interrupt helpers', () => {
  it('forEachUntilInterrupted runs exactly the steps up to the one during which the interrupt came (1,000 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.option(fc.nat({ max: 40 }), { nil: undefined }), async (count, at) => {
        resetInterrupt();
        const ran: number[] = [];
        const done = await forEachUntilInterrupted(count, async (i) => {
          ran.push(i);
          if (i === at) requestInterrupt();
        });
        // Reference: steps 0 … at when `at` falls inside the loop, otherwise all of them.
        const expected = at !== undefined && at < count ? at + 1 : count;
        expect(done).toBe(expected);
        expect(ran).toEqual(Array.from({ length: expected }, (_, i) => i));
      }),
      { numRuns: 1000 },
    );
  });

  it('a SIGINT or SIGTERM while installed sets the flag (and says so on stderr); handlers are reference-counted', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.listenerCount('SIGINT');
    const stopA = onInterrupt();
    const stopB = onInterrupt();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(process.listenerCount('SIGTERM')).toBeGreaterThanOrEqual(1);
    expect(interrupted()).toBe(false);
    expect(() => throwIfInterrupted()).not.toThrow();
    process.emit('SIGTERM', 'SIGTERM');
    expect(interrupted()).toBe(true);
    expect(() => throwIfInterrupted()).toThrow(InterruptedError);
    expect(String(stderr.mock.calls[0][0])).toMatch(/SIGTERM received, finishing the current step/);
    stopA();
    stopA(); // idempotent
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    stopB();
    // After a signal the handlers stay until the flag is cleared: a second Ctrl-C while the command writes
    // its results must still exit with 130 rather than be killed by the default action.
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    resetInterrupt();
    expect(process.listenerCount('SIGINT')).toBe(before);
    const stopC = onInterrupt();
    stopC();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('a second signal exits at once with code 130', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stop = onInterrupt();
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(exit).not.toHaveBeenCalled();
      process.emit('SIGINT', 'SIGINT');
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      stop();
    }
  });
});
