/**
 * Progress on stderr for long computations: at most one update per `intervalMs`, nothing at all for
 * work that finishes quickly; a carriage-return line on a terminal, plain lines otherwise.
 */
export class Progress {
  private last = 0;
  private readonly start = Date.now();
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 500,
    private readonly enabled = true,
  ) {}

  /** Reports `done` of `total` (a plain count when `total` is 0). */
  update(done: number, total: number, stage: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.start < this.intervalMs || now - this.last < this.intervalMs) return;
    this.last = now;
    const elapsed = `${((now - this.start) / 1000).toFixed(1)} s`;
    const text = total > 0 ? `${stage}: ${done}/${total} (${Math.floor((100 * done) / total)}%) ${elapsed}` : `${stage}: ${done} ${elapsed}`;
    if (this.stream.isTTY) this.stream.write(`\r${text.padEnd(70)}`);
    else this.stream.write(`${text}\n`);
    this.shown = true;
  }

  done(): void {
    if (this.shown && this.stream.isTTY) this.stream.write(`\r${' '.repeat(70)}\r`);
  }
}
