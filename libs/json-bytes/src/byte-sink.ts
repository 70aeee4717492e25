/** An output buffer that grows as bytes are copied into it, for answers assembled from slices. */
export class ByteSink {
  private buffer: Buffer;
  private used = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  get length(): number {
    return this.used;
  }

  /** Forgets everything written after `length` (a write that turned out not to be wanted). */
  truncate(length: number): void {
    if (length < 0 || length > this.used) throw new RangeError(`cannot truncate to ${length}`);
    this.used = length;
  }

  copy(source: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.buffer.set(source.subarray(start, end), this.used);
    this.used += end - start;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.used] = value;
    this.used += 1;
  }

  text(value: string): void {
    this.reserve(Buffer.byteLength(value));
    this.used += this.buffer.write(value, this.used, 'utf8');
  }

  /** The bytes written, as a view of the sink's memory (write nothing more after taking it). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  private reserve(more: number): void {
    if (this.used + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + more));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
