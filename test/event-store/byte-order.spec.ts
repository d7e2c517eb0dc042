import { describe, expect, it } from '@jest/globals';
import { byteOrder } from '../../src/event-store/sqlite/current-listings.js';
import { mulberry32 } from '../analysis/synthetic-firms.js';

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

describe('byteOrder (SQLite BINARY order of UTF-8 text)', () => {
  it('orders astral characters after the last BMP characters, unlike UTF-16 units', () => {
    expect('\u{1F600}' < '\uFFFD').toBe(true); // JavaScript's own order
    expect(Math.sign(byteOrder('\u{1F600}', '\uFFFD'))).toBe(1);
    expect(Math.sign(byteOrder('a\u{1F600}', 'a\uE000'))).toBe(1);
    expect(Math.sign(byteOrder('\uD7FF', '\u{10000}'))).toBe(-1);
    expect(Math.sign(byteOrder('ab', 'abc'))).toBe(-1);
    expect(byteOrder('2021-03#x', '2021-03#x')).toBe(0);
  });

  it('agrees with comparing the UTF-8 bytes on random strings', () => {
    const random = mulberry32(42);
    const alphabet = ['a', 'b', '0', '#', 'é', '\u4E2D', '\uE000', '\uFFFD', '\u{1F600}', '\u{10000}', '\u{10FFFF}'];
    const word = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const a = word();
      const b = random() < 0.2 ? a : word();
      expect([a, b, Math.sign(byteOrder(a, b))]).toEqual([a, b, utf8Order(a, b)]);
    }
  });
});
