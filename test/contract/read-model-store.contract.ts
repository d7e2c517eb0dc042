import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ReadModelStore } from '../../src/projections/read-model-store.port.js';
import { rejection, type StoreFixture } from './contract-support.js';

/** A collection name no other test uses, so tests share one store without seeing each other. */
const collection = (label: string) => `${label}-${randomUUID()}`;

/**
 * The behaviour every ReadModelStore adapter must show: documents, orderings (byte order, as
 * SQLite's BINARY collation gives), and transactions that commit a projection's writes with
 * its checkpoint or roll both back.
 */
/** A store, and a second store on the same database: another process's connection. */
export interface ReadModelFixture extends StoreFixture<ReadModelStore> {
  readonly other: ReadModelStore;
}

export function readModelStoreContract(name: string, factory: () => Promise<ReadModelFixture>): void {
  describe(`${name} read-model store contract`, () => {
    let fixture: ReadModelFixture | undefined;
    const store = () => {
      if (!fixture) throw new Error('store fixture not created');
      return fixture.store;
    };
    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('init() is idempotent', async () => {
      await store().init();
      await store().init();
      expect(await store().get(collection('init'), 'p', 'k')).toBeUndefined();
    });

    it('put stores a document, put again replaces it and its sort key, get reads it back', async () => {
      const c = collection('docs');
      const doc = { name: 'Nordic Seat Frames', score: -0.25, big: 2 ** 40, tags: ['cost', 'custom'], none: null, nested: { ok: true } };
      await store().transaction(async (tx) => tx.put(c, 'firm-1', 'k1', '2020', doc));
      expect(await store().get(c, 'firm-1', 'k1')).toEqual(doc);
      await store().transaction(async (tx) => tx.put(c, 'firm-1', 'k1', '1999', { replaced: 'Coût 成本 "q" \\ \n' }));
      expect(await store().get(c, 'firm-1', 'k1')).toEqual({ replaced: 'Coût 成本 "q" \\ \n' });
      expect(await store().list(c, 'firm-1')).toEqual([{ key: 'k1', sortKey: '1999', doc: { replaced: 'Coût 成本 "q" \\ \n' } }]);
      expect(await store().get(c, 'firm-2', 'k1')).toBeUndefined();
    });

    it('list orders by sort key, then key, in byte order', async () => {
      const c = collection('order');
      const entries: Array<[key: string, sortKey: string]> = [
        ['b', 'same'], ['a', 'same'], ['B', 'same'], ['z', 'Zeta'], ['y', 'alpha'], ['x', '_under'],
        ['w', '2021-03'], ['v', '2021-10'], ['u', 'émile'], ['t', 'eve'], ['s', '10'], ['r', '9'],
      ];
      await store().transaction(async (tx) => {
        for (const [key, sortKey] of entries) await tx.put(c, 'p', key, sortKey, { key });
        await tx.put(c, 'other-partition', 'a', '0', {});
      });
      // JavaScript's default sort compares UTF-16 code units: byte order for these (BMP) strings.
      const expected = [...entries]
        .sort(([ka, sa], [kb, sb]) => (sa < sb ? -1 : sa > sb ? 1 : ka < kb ? -1 : ka > kb ? 1 : 0))
        .map(([key, sortKey]) => ({ key, sortKey, doc: { key } }));
      expect(await store().list(c, 'p')).toEqual(expected);
    });

    it('partitions are distinct, ascending, and only those of the collection', async () => {
      const c = collection('parts');
      await store().transaction(async (tx) => {
        for (const p of ['firm-b', 'Firm-c', 'firm-a', 'firm-b', '_x']) await tx.put(c, p, randomUUID(), '', {});
        await tx.put(collection('elsewhere'), 'firm-z', 'k', '', {});
      });
      expect(await store().partitions(c)).toEqual(['Firm-c', '_x', 'firm-a', 'firm-b']);
      expect(await store().partitions(collection('empty'))).toEqual([]);
    });

    it('delete and deletePartition remove only what they name', async () => {
      const c = collection('delete');
      await store().transaction(async (tx) => {
        for (const p of ['p1', 'p2']) for (const k of ['a', 'b']) await tx.put(c, p, k, k, { p, k });
      });
      await store().transaction(async (tx) => {
        await tx.delete(c, 'p1', 'a');
        await tx.delete(c, 'p1', 'missing');
      });
      expect((await store().list(c, 'p1')).map((d) => d.key)).toEqual(['b']);
      await store().transaction(async (tx) => tx.deletePartition(c, 'p2'));
      expect(await store().partitions(c)).toEqual(['p1']);
    });

    // Pins the lazy partition clear (pending-partition-clears.ts): projections that recompute a
    // partition whole rewrite only what changed, yet must read exactly what an eager clear gives.
    it('deletePartition then put again: untouched keys go, put keys stay, reads inside see it', async () => {
      const c = collection('reclear');
      await store().transaction(async (tx) => {
        for (const k of ['a', 'b', 'c']) await tx.put(c, 'p', k, k, { k, v: 1 });
        await tx.put(c, 'q', 'x', 'x', { q: 1 });
      });
      const seen = await store().transaction(async (tx) => {
        await tx.deletePartition(c, 'p');
        const gone = await tx.get(c, 'p', 'a');
        await tx.put(c, 'p', 'a', 'a', { k: 'a', v: 1 }); // unchanged
        await tx.put(c, 'p', 'b', 'zz', { k: 'b', v: 2 }); // changed
        const mid = { a: await tx.get(c, 'p', 'a'), c: await tx.get(c, 'p', 'c') };
        await tx.deletePartition(c, 'p'); // a second clear voids a and b
        await tx.put(c, 'p', 'd', 'd', { k: 'd' });
        return { gone, mid, list: await tx.list(c, 'p'), other: await tx.get(c, 'q', 'x') };
      });
      expect(seen).toEqual({
        gone: undefined,
        mid: { a: { k: 'a', v: 1 }, c: undefined },
        list: [{ key: 'd', sortKey: 'd', doc: { k: 'd' } }],
        other: { q: 1 },
      });
      expect(await store().list(c, 'p')).toEqual([{ key: 'd', sortKey: 'd', doc: { k: 'd' } }]);
    });

    it('a transaction reads its own writes and commits them with the checkpoint', async () => {
      const c = collection('tx');
      const projection = collection('projection');
      const seen = await store().transaction(async (tx) => {
        await tx.put(c, 'p', 'k', 's', { v: 1 });
        await tx.setCheckpoint(projection, 3, 2 ** 40 + 7);
        return { doc: await tx.get(c, 'p', 'k'), list: await tx.list(c, 'p'), parts: await tx.partitions(c) };
      });
      expect(seen).toEqual({ doc: { v: 1 }, list: [{ key: 'k', sortKey: 's', doc: { v: 1 } }], parts: ['p'] });
      const cp = await store().checkpoint(projection);
      expect(cp).toMatchObject({ projection, version: 3, position: 2 ** 40 + 7 });
      expect(new Date(cp!.updatedAt).toISOString()).toBe(cp!.updatedAt);
      await store().transaction(async (tx) => tx.setCheckpoint(projection, 4, 9));
      expect(await store().checkpoint(projection)).toMatchObject({ version: 4, position: 9 });
    });

    it('gets after a prefetch answer as without it: absent keys, later writes, and objects changed in place', async () => {
      const c = collection('prefetch');
      await store().transaction(async (tx) => {
        for (const k of ['a', 'b', 'c', 'd']) await tx.put(c, 'p', k, k, { k, n: 1 });
      });
      const seen = await store().transaction(async (tx) => {
        await tx.prefetch?.(c, 'p', ['a', 'b', 'c', 'd', 'missing', 'a']);
        const a = await tx.get<{ k: string; n: number }>(c, 'p', 'a');
        a!.n = 99; // a projection updating its copy before putting it (the catalog does)
        const aAgain = await tx.get(c, 'p', 'a');
        await tx.put(c, 'p', 'b', 'b', { k: 'b', n: 2 });
        await tx.delete(c, 'p', 'c');
        const [b, cGone, missing] = [await tx.get(c, 'p', 'b'), await tx.get(c, 'p', 'c'), await tx.get(c, 'p', 'missing')];
        await tx.prefetch?.(c, 'p', ['d', 'e']);
        await tx.deletePartition(c, 'p');
        await tx.put(c, 'p', 'e', 'e', { k: 'e', n: 1 });
        // Listing applies the writes held back so far (PostgreSQL): the gets below read past them.
        const listed = (await tx.list(c, 'p')).map((d) => d.key);
        return { a: aAgain, b, c: cGone, missing, listed, d: await tx.get(c, 'p', 'd'), e: await tx.get(c, 'p', 'e') };
      });
      expect(seen).toEqual({ a: { k: 'a', n: 1 }, b: { k: 'b', n: 2 }, c: undefined, missing: undefined, listed: ['e'], d: undefined, e: { k: 'e', n: 1 } });
      const kept = await store().transaction(async (tx) => {
        await tx.prefetch?.(c, 'p', ['a', 'e', 'x']);
        return [await tx.get(c, 'p', 'a'), await tx.get(c, 'p', 'e'), await tx.get(c, 'p', 'x')];
      });
      expect(kept).toEqual([undefined, { k: 'e', n: 1 }, undefined]);
    });

    it('a failing transaction rolls back its writes and its checkpoint, and rethrows', async () => {
      const c = collection('rollback');
      const projection = collection('projection');
      await store().transaction(async (tx) => {
        await tx.put(c, 'p', 'kept', '', { v: 1 });
        await tx.setCheckpoint(projection, 1, 10);
      });
      const boom = new Error('projection failed mid-batch');
      const err = await rejection(
        store().transaction(async (tx) => {
          await tx.put(c, 'p', 'kept', '', { v: 2 });
          await tx.put(c, 'p', 'new', '', {});
          await tx.deletePartition(c, 'p');
          await tx.setCheckpoint(projection, 1, 20);
          throw boom;
        }),
      );
      expect(err).toBe(boom);
      expect(await store().list(c, 'p')).toEqual([{ key: 'kept', sortKey: '', doc: { v: 1 } }]);
      expect(await store().checkpoint(projection)).toMatchObject({ position: 10 });
      // The store is usable after a rollback.
      await store().transaction(async (tx) => tx.put(c, 'p', 'after', '', {}));
      expect((await store().list(c, 'p')).map((d) => d.key)).toEqual(['after', 'kept']);
    });

    it('truncate empties the projection\'s collections and drops its checkpoint, nothing else', async () => {
      const [a, b, keep] = [collection('trunc-a'), collection('trunc-b'), collection('keep')];
      const [projection, other] = [collection('proj'), collection('other')];
      await store().transaction(async (tx) => {
        for (const c of [a, b, keep]) await tx.put(c, 'p', 'k', '', {});
        await tx.setCheckpoint(projection, 1, 5);
        await tx.setCheckpoint(other, 1, 6);
      });
      await store().transaction(async (tx) => tx.truncate(projection, [a, b]));
      expect(await store().partitions(a)).toEqual([]);
      expect(await store().partitions(b)).toEqual([]);
      expect(await store().partitions(keep)).toEqual(['p']);
      expect(await store().checkpoint(projection)).toBeUndefined();
      expect(await store().checkpoint(other)).toMatchObject({ position: 6 });
    });

    it('checkpoints() lists every projection in name order', async () => {
      const names = ['zz', 'AA', 'mm'].map((n) => `${n}-${randomUUID()}`);
      await store().transaction(async (tx) => {
        for (const [i, n] of names.entries()) await tx.setCheckpoint(n, i, i * 100);
      });
      const listed = (await store().checkpoints()).map((c) => c.projection);
      const ours = listed.filter((n) => names.includes(n));
      expect(ours).toEqual([...names].sort());
      expect(listed).toEqual([...listed].sort());
    });

    it('dump returns the named collections in the order given, then by partition and key', async () => {
      const [first, second] = [collection('dump-2'), collection('dump-1')];
      await store().transaction(async (tx) => {
        await tx.put(first, 'p2', 'a', 'z', { n: 1 });
        await tx.put(first, 'p1', 'b', 'y', { n: 2 });
        await tx.put(first, 'p1', 'a', 'x', { n: 3 });
        await tx.put(second, 'p0', 'k', 'w', { n: 4 });
      });
      expect(await store().dump([first, second])).toEqual([
        { collection: first, partition: 'p1', key: 'a', sortKey: 'x', doc: { n: 3 } },
        { collection: first, partition: 'p1', key: 'b', sortKey: 'y', doc: { n: 2 } },
        { collection: first, partition: 'p2', key: 'a', sortKey: 'z', doc: { n: 1 } },
        { collection: second, partition: 'p0', key: 'k', sortKey: 'w', doc: { n: 4 } },
      ]);
      expect(await store().dump([])).toEqual([]);
    });

    it('a large partition listed again shows every change made since, by this store or another, and reuses the rest', async () => {
      // Large partitions (500+ documents) go through the adapters' caches of parsed documents
      // and listings; each step below changes it one way and lists it again.
      const c = collection('large');
      const key = (i: number) => `k${String(i).padStart(4, '0')}`;
      const doc = (i: number, v = 0) => ({ i, v, text: `document ${i}, version ${v} · ü`, tags: ['a', 'b'] });
      const expected = new Map<string, { sortKey: string; doc: unknown }>();
      type Tx = Parameters<Parameters<ReadModelStore['transaction']>[0]>[0];
      const put = async (tx: Tx, k: string, sortKey: string, d: unknown) => {
        await tx.put(c, 'p', k, sortKey, d);
        expected.set(k, { sortKey, doc: d });
      };
      // Byte order (SQLite's BINARY, PostgreSQL's "C"), as in the ordering test above.
      const bytes = (x: string) => Buffer.from(x, 'utf8');
      const listed = () =>
        [...expected]
          .map(([k, v]) => ({ key: k, ...v }))
          .sort((a, b) => Buffer.compare(bytes(a.sortKey), bytes(b.sortKey)) || Buffer.compare(bytes(a.key), bytes(b.key)));
      await store().transaction(async (tx) => {
        for (let i = 0; i < 600; i++) await put(tx, key(i), `s${String(i % 50).padStart(2, '0')}`, doc(i));
      });
      const first = await store().list(c, 'p');
      expect(first).toEqual(listed());

      // 1. This store's own writes.
      await store().transaction(async (tx) => {
        await put(tx, key(1), 's01', doc(1, 1)); // changed
        await put(tx, key(2), 's02', doc(2)); // the same text again
        await tx.delete(c, 'p', key(3));
        expected.delete(key(3));
        await put(tx, 'new', 's25', { added: true }); // a new key in the middle
        await put(tx, 'astral', 's25\u{1F600}', { astral: true }); // sorts after U+FFFD in byte order
        await put(tx, 'bmp', 's25\uFFFD', { bmp: true });
        await put(tx, key(7), 's99', doc(7)); // moved
        await put(tx, key(4), 's04', doc(4, 1));
        expect((await tx.list<{ v: number }>(c, 'p')).find((d) => d.key === key(4))?.doc.v).toBe(1);
        await put(tx, key(4), 's04', doc(4, 2)); // rewritten again after a read in the same transaction
      });
      const second = await store().list(c, 'p');
      expect(second).toEqual(listed());
      const before = new Map(first.map((d) => [d.key, d.doc]));
      const changed = new Set([key(1), key(4), 'new', 'astral', 'bmp']);
      for (const d of second) if (!changed.has(d.key)) expect(d.doc).toBe(before.get(d.key));
      expect(() => {
        (second[0]!.doc as { i: number }).i = -1;
      }).toThrow(TypeError);

      // 2. A transaction that read its own write and was rolled back.
      await expect(
        store().transaction(async (tx) => {
          await tx.put(c, 'p', key(5), 's05', doc(5, 9));
          await tx.delete(c, 'p', key(8));
          expect((await tx.list<{ v: number }>(c, 'p')).find((d) => d.key === key(5))?.doc.v).toBe(9);
          expect((await store().list<{ v: number }>(c, 'p')).length).toBeGreaterThan(0); // a reader meanwhile
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await store().list(c, 'p')).toEqual(listed());

      // 3. Another connection (another process) writes.
      await fixture!.other.transaction(async (tx) => {
        await put(tx, key(6), 's06', doc(6, 1));
        await tx.delete(c, 'p', key(9));
        expected.delete(key(9));
      });
      const third = await store().list(c, 'p');
      expect(third).toEqual(listed());

      // 4. Nothing changed: the same documents again.
      const fourth = await store().list(c, 'p');
      expect(fourth).toEqual(listed());
      fourth.forEach((d, n) => expect(d.doc).toBe(third[n]!.doc));
    });
  });
}
