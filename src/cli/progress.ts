/**
 * A one-line progress bar on stderr, drawn only when stdout is a terminal (so piped or
 * scripted runs stay clean) and at most every 100 ms.
 */
export class ProgressBar {
  private last = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    enabled = Boolean(process.stdout.isTTY),
  ) {
    this.enabled = enabled;
  }

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    const width = 30;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    this.stream.write(`\r${label.padEnd(11)} [${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total}`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\n');
  }
}
