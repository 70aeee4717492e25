/** Progress of long work: a bar with counts and rate on a terminal, one JSON line per update otherwise. */
export class Progress {
  private readonly started = Date.now();
  private lastDrawn = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number, final = false): void {
    const now = Date.now();
    if (!final && now - this.lastDrawn < 200) return;
    this.lastDrawn = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    if (!this.out.isTTY) {
      this.out.write(`${JSON.stringify({ progress: this.label, done, total, perSecond: rate })}\n`);
      return;
    }
    const width = 30;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    this.out.write(
      `\r${this.label} [${bar}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${rate.toLocaleString('en')}/s`,
    );
    if (final) this.out.write('\n');
  }
}
