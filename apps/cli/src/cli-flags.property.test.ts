import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntrinsicError } from '@intrinsic/spectra';
import { modelSettings, parseInteger, parseTolerance, parseWidths } from './args.js';
import { UsageError } from './cli-error.js';
import { main } from './main.js';
import { bin } from './run-cli.test-helper.js';

/**
 * Issue #10, adversarial input: command-line flags. Value parsers get arbitrary text; the whole command
 * line gets garbage flags in-process (1,000 command lines), and 20 garbage command lines run the built
 * `intrinsic` in a child process. Every rejection is exit code 2 with one line on stderr, no stack trace.
 */
const RUNS = { numRuns: 1000 };

function isCleanUserError(error: unknown): boolean {
  if (!(error instanceof UsageError) && !IntrinsicError.isInstance(error)) throw error;
  const message = (error as Error).message;
  expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(message.length).toBeLessThan(300);
  return true;
}

/** Text users type by mistake: numbers in odd forms, separators, empty, huge, unicode, line breaks. */
const flagText = fc.oneof(
  fc.constantFrom('', ' ', '-1', '0', '1', '+3', '1.5', '1e3', '1e999', 'NaN', 'Infinity', '0x10', '9007199254740993', '99999999999999999999', ',', '1,', ',1', '1,,2', '4:56:4', '8x8', '1\n2', 'rel:', 'abs:-1', 'rel:1e-10', 'numpy', '٣', '１'),
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 5 }).map((a) => a.join(',')),
  fc.string({ maxLength: 12 }),
);

describe('value parsers on arbitrary text (1,000 inputs each)', () => {
  it('parseInteger: the value iff the text is a whole number in range (reference: BigInt)', () => {
    fc.assert(fc.property(flagText, fc.integer({ min: -10, max: 10 }), fc.integer({ min: 0, max: 1000 }), (text, min, span) => {
      const max = min + span;
      let reference: number | undefined;
      if (/^[-+]?\d+$/.test(text.trim())) {
        const big = BigInt(text.trim());
        if (big >= BigInt(min) && big <= BigInt(max)) reference = Number(big);
      }
      try {
        expect(parseInteger(text, 'n', min, max)).toBe(reference);
      } catch (error) {
        expect(isCleanUserError(error) && reference === undefined).toBe(true);
      }
    }), RUNS);
  });

  it('parseWidths: positive whole numbers, at least two, each ≤ 10⁷', () => {
    fc.assert(fc.property(flagText, (text) => {
      try {
        const widths = parseWidths(text);
        expect(widths.length).toBeGreaterThanOrEqual(2);
        expect(widths.every((w) => Number.isSafeInteger(w) && w >= 1 && w <= 1e7)).toBe(true);
        expect(widths.join(',')).toBe(text.split(',').map((s) => String(Number(s.trim()))).join(','));
      } catch (error) {
        isCleanUserError(error);
      }
    }), RUNS);
  });

  it('parseTolerance: numpy | rel:X | abs:X with X a positive finite number', () => {
    fc.assert(fc.property(flagText, (text) => {
      try {
        const policy = parseTolerance(text);
        if (policy.kind !== 'numpy') expect(policy.value > 0 && Number.isFinite(policy.value)).toBe(true);
      } catch (error) {
        isCleanUserError(error);
      }
    }), RUNS);
  });

  it('modelSettings: every field from arbitrary text', () => {
    const record = fc.record({ widths: flagText, samples: flagText, loss: fc.oneof(flagText, fc.constantFrom('mse', 'ce')), activation: fc.oneof(flagText, fc.constantFrom('relu', 'tanh')), data: fc.oneof(flagText, fc.constant('gaussian')), init: fc.oneof(flagText, fc.constant('he-normal')), seed: flagText, bias: fc.boolean() });
    fc.assert(fc.property(record, (values) => {
      try {
        const settings = modelSettings(values);
        expect(settings.samples >= 1 && settings.widths.length >= 2).toBe(true);
      } catch (error) {
        isCleanUserError(error);
      }
    }), RUNS);
  });
});

/** Per command: its flags, and one flag whose bad value is certain to be rejected before any work starts. */
const COMMANDS: { name: string; flags: string[]; bad: [string, fc.Arbitrary<string>] }[] = [
  { name: 'rank', flags: ['--widths', '--samples', '--loss', '--activation', '--data', '--init', '--tolerance', '--model'], bad: ['--seed', fc.constantFrom('x', '1.5', '', 'NaN', '1e99', '99999999999', '-')] },
  { name: 'spectrum', flags: ['--widths', '--samples', '--operator', '--engine', '--top', '--bottom', '--method', '--tolerance', '--matvecs', '--probes', '--steps', '--layers'], bad: ['--seed', fc.constantFrom('x', '2.5', '', '1e99', 'abc')] },
  { name: 'sweep', flags: ['--vary', '--values', '--widths', '--samples', '--loss', '--input-size', '--jobs', '--tolerance', '--preset'], bad: ['--seed', fc.constantFrom('x', '2.5', '', '1e99', 'abc')] },
  { name: 'train', flags: ['--data', '--input-size', '--classes', '--train-samples', '--test-samples', '--widths', '--epochs', '--lr', '--batch-size', '--label-noise', '--momentum'], bad: ['--seed', fc.constantFrom('x', '2.5', '', '1e99', 'abc')] },
  { name: 'prune', flags: ['--method', '--sparsity', '--sweep', '--gradients', '--damp', '--block', '--scope', '--update'], bad: ['--seeds', fc.constantFrom('x', '0', '', '1e99', '-3')] },
  { name: 'double-descent', flags: ['--widths', '--samples', '--test-samples', '--loss', '--label-noise', '--epochs', '--lr', '--input-size', '--outputs'], bad: ['--seeds', fc.constantFrom('x', '0', '', '1e99', '-3')] },
];

const commandLine = fc
  .record({
    command: fc.constantFrom(...COMMANDS),
    pairs: fc.array(fc.tuple(fc.nat(), flagText), { maxLength: 4 }),
    badAt: fc.nat(),
    badValue: fc.nat(),
    extra: fc.oneof(fc.constant([] as string[]), fc.constantFrom(['--json'], ['stray'], ['--unknown-flag'], ['--'], ['-x'], ['--json=1'])),
  })
  .chain(({ command, pairs, badAt, extra }) =>
    command.bad[1].map((bad) => {
      const argv: string[] = [];
      for (const [which, value] of pairs) argv.push(command.flags[which % command.flags.length], value);
      const position = 2 * (badAt % (pairs.length + 1));
      argv.splice(position, 0, `${command.bad[0]}=${bad}`);
      return [command.name, ...argv, ...extra];
    }),
  );

afterEach(() => vi.restoreAllMocks());

describe('whole command lines with a bad flag, in-process (1,000 command lines)', () => {
  it('exit code 2, one line on stderr, nothing on stdout, no exception', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine, async (argv) => {
        let stdout = '';
        let stderr = '';
        vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
        vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
        let code: number;
        try {
          code = await main(argv);
        } finally {
          vi.restoreAllMocks();
        }
        expect({ argv, code }).toEqual({ argv, code: 2 });
        expect(stdout).toBe('');
        expect(stderr.endsWith('\n')).toBe(true);
        expect(stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(/^intrinsic/);
      }),
      RUNS,
    );
  }, 120_000);

  it('unknown commands, including names of Object.prototype members', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'rank\nx', '']) {
      let stderr = '';
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
      const code = await main([name]);
      vi.restoreAllMocks();
      expect(code).toBe(2);
      expect(stderr).toMatch(/^intrinsic: unknown command '.*'; commands: rank, spectrum, sweep, train, prune, bound, double-descent\n$/);
    }
  });
});

describe('the built command in a child process: 20 garbage command lines', () => {
  it('exit code 2, one line on stderr, no stack trace', async () => {
    const exec = promisify(execFile);
    const lines = fc.sample(commandLine, { numRuns: 18, seed: 10 });
    lines.push(['rank', '--widths'], ['bound']);
    for (const argv of lines) {
      const result = await exec(process.execPath, [bin, ...argv]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
    }
  }, 120_000);

  it('an output path the system refuses (a file used as a folder) is one line, exit code 2', async () => {
    const exec = promisify(execFile);
    const result = await exec(process.execPath, [bin, 'rank', '--widths', '3,2,1', '--samples', '4', '--save-run', '/dev/null/run']).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("intrinsic rank: ENOTDIR: not a directory, mkdir '/dev/null/run'\n");
  });
});
