import { describe, expect, it } from '@jest/globals';
import { ParsedDocCache } from '../../src/event-store/parsed-doc-cache.js';

type Row = [key: string, text: string];
const rows = (n: number, tag = 'a'): Row[] => Array.from({ length: n }, (_, i) => [`k${String(i).padStart(4, '0')}`, JSON.stringify({ i, tag, list: [i] })]);
const parse = (c: ParsedDocCache, rs: Row[], partition = 'p') => c.parse('c', partition, rs, (r) => r[0], (r) => r[1]);

describe('ParsedDocCache', () => {
  it('always returns what JSON.parse of the rows gives, whatever changed between two reads', () => {
    const c = new ParsedDocCache(3, 1000);
    const base = rows(50);
    const variants: Row[][] = [
      base,
      [...base.slice(0, 10), ['new', '{"n":1}'], ...base.slice(10)], // inserted
      [...base.slice(0, 20), ...base.slice(21)], // removed
      [...base.slice(0, 5), base[40]!, ...base.slice(5, 40), ...base.slice(41)], // moved
      base.map(([k, t], i) => (i === 7 ? [k, JSON.stringify({ changed: true })] : [k, t])), // changed in place
      [...base].reverse(),
      rows(50, 'b'),
      base,
    ];
    for (const v of variants) expect(parse(c, v)).toEqual(v.map(([, t]) => JSON.parse(t)));
  });

  it('reuses the object of an unchanged row, not of a changed one, and freezes what it keeps', () => {
    const c = new ParsedDocCache(3, 1000);
    const base = rows(10);
    const first = parse(c, base);
    const changed = base.map(([k, t], i): Row => (i === 3 ? [k, JSON.stringify({ other: 1 })] : [k, t]));
    const second = parse(c, [['aaa', '{"x":1}'], ...changed]);
    expect(second[1]).toBe(first[0]);
    expect(second[4]).not.toBe(first[3]);
    expect(second[4]).toEqual({ other: 1 });
    expect(Object.isFrozen(second[1])).toBe(true);
    expect(Object.isFrozen((second[1] as { list: number[] }).list)).toBe(true);
  });

  it('parses small partitions afresh and keeps at most maxDocs documents', () => {
    const c = new ParsedDocCache(5, 20);
    const small = parse(c, rows(4));
    expect(parse(c, rows(4))[0]).not.toBe(small[0]);
    const a = parse(c, rows(15), 'a');
    parse(c, rows(15), 'b'); // evicts a
    expect(parse(c, rows(15), 'a')[0]).not.toBe(a[0]);
  });

  describe('rows listed by version (PostgreSQL: xmin and ctid)', () => {
    type Versioned = [key: string, version: string | undefined, text: string];
    const merge = (c: ParsedDocCache, rs: Versioned[], sent: (key: string) => boolean = () => true, base?: Parameters<ParsedDocCache['merge']>[3]) =>
      c.merge('c', 'p', { length: rs.length, key: (i) => rs[i]![0], version: (i) => rs[i]![1], text: (i) => (sent(rs[i]![0]) ? rs[i]![2] : undefined) }, ...(base ? [base] : []));
    const base: Versioned[] = rows(20).map(([k, t], i) => [k, `v${i}`, t]);

    it('reuses a row whose version is held without its text, and asks for the text of the others', () => {
      const c = new ParsedDocCache(3, 1000);
      const first = merge(c, base);
      const next: Versioned[] = base.map(([k, v, t], i) => (i === 4 ? [k, 'v4b', JSON.stringify({ changed: 4 })] : [k, v, t]));
      const stale = c.stale('c', 'p', { length: next.length, key: (i) => next[i]![0], version: (i) => next[i]![1] });
      expect(stale.keys).toEqual(['k0004']);
      const second = merge(c, next, (k) => stale.keys.includes(k), stale.base);
      expect(second).toEqual(next.map(([, , t]) => JSON.parse(t)));
      second.forEach((d, i) => (i === 4 ? expect(d).not.toBe(first[i]) : expect(d).toBe(first[i])));
    });

    it('a row read without a version whose text is unchanged keeps the held version; a changed one loses it', () => {
      const c = new ParsedDocCache(3, 1000);
      merge(c, base);
      // Read inside a transaction: no versions; row 2 unchanged, row 3 rewritten.
      const inside: Versioned[] = base.map(([k, , t], i) => [k, undefined, i === 3 ? JSON.stringify({ uncommitted: 3 }) : t]);
      merge(c, inside);
      const again = c.stale('c', 'p', { length: base.length, key: (i) => base[i]![0], version: (i) => base[i]![1] });
      expect(again.keys).toEqual(['k0003']);
    });

    it('a missing text for a row whose version is not held is an error, never a stale document', () => {
      const c = new ParsedDocCache(3, 1000);
      merge(c, base);
      const next: Versioned[] = base.map(([k, v, t], i) => (i === 0 ? [k, 'other', t] : [k, v, t]));
      expect(() => merge(c, next, () => false)).toThrow(/no text for k0000/);
    });
  });
});
