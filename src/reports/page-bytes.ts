/**
 * A large page (the HTML report of a 10,000-event firm is ~5 MB) assembled as UTF-8 bytes.
 *
 * Joining it as one JavaScript string cost more than all of its rendering: V8 copies every
 * character of a 5-million-character join at ~5 ns each here, and copies it again, widened to
 * two bytes, as soon as one piece holds a character outside Latin-1 (the tooltips' "·" and "—"),
 * and the page must then be encoded to UTF-8 anyway before it is sent or written. Pieces that
 * repeat from one report to the next (a timeline row, a marker's tooltip: see frozenMemo) are
 * kept as bytes, so a report copies them instead of encoding them again.
 */
export type Piece = string | Uint8Array;

export const NEWLINE: Uint8Array = Buffer.from('\n');

/** The pieces as one UTF-8 buffer (strings encoded, byte pieces copied as they are). */
export function pageBytes(pieces: readonly Piece[]): Buffer {
  const chunks: Uint8Array[] = new Array<Uint8Array>(pieces.length);
  let length = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    chunks[i] = bytes;
    length += bytes.length;
  }
  return Buffer.concat(chunks, length);
}

/** Bytes of a string, for pieces kept across reports. */
export const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** Appends whole lines to `pieces`, a newline before each but the first piece of the page. */
export function lineWriter(pieces: Piece[]): { push(...lines: string[]): void } {
  return {
    push(...lines: string[]): void {
      for (const l of lines) {
        if (pieces.length) pieces.push(NEWLINE);
        pieces.push(l);
      }
    },
  };
}
