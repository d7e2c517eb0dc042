/**
 * A rendered report as the query hands it out: the text (`body`) and its UTF-8 bytes (`bytes`),
 * each made from the other on first use and then kept. The HTML report is rendered straight to
 * bytes (see reports/page-bytes.ts) and the server and CLI send or write `bytes`, so a large
 * page is never turned into a string on its way out; `body` is there for callers that want text.
 * Cached reports are shared between callers: treat `bytes` as read-only.
 */
export class RenderedReport {
  private text: string | undefined;
  private encoded: Buffer | undefined;

  constructor(
    readonly format: string,
    readonly contentType: string,
    content: string | Buffer,
  ) {
    if (typeof content === 'string') this.text = content;
    else this.encoded = content;
  }

  get body(): string {
    return (this.text ??= this.encoded!.toString('utf8'));
  }

  get bytes(): Buffer {
    return (this.encoded ??= Buffer.from(this.text!, 'utf8'));
  }

  /** Characters or bytes, whichever is at hand: a size for cache bounds, not an exact measure. */
  get size(): number {
    return this.encoded?.length ?? this.text!.length;
  }
}
