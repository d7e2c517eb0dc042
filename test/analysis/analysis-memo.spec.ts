import { describe, expect, it } from '@jest/globals';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import { AnalysisMemo } from '../../src/analysis/analysis-memo.js';
import { sortForAnalysis } from '../../src/analysis/order.js';
import { deepFreeze } from '../../src/domain/deep-freeze.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { declaredPhase, decision } from './entries.js';
import { syntheticFirm } from './synthetic-firms.js';

/** A firm's entries as the read-model adapters hand them out: deep-frozen documents. */
const frozenFirm = (seed: number): TimelineEntry[] => syntheticFirm(seed).entries.map((e) => deepFreeze(structuredClone(e)));

describe('AnalysisMemo', () => {
  it('given the same frozen entries again, when analysed, then the remembered result is returned', () => {
    const memo = new AnalysisMemo();
    const entries = frozenFirm(1);
    const first = memo.analyse(entries);
    // A new array holding the very same objects, as the next listing of an unchanged firm gives.
    const again = memo.analyse([...entries]);
    expect(again).toBe(first);
    expect(first.analysis).toEqual(analyseFirm(entries));
    expect(first.sorted).toEqual(sortForAnalysis(entries));
    expect(Object.isFrozen(first.analysis.phases)).toBe(true);
  });

  it('given one entry replaced by an equal-looking new object, when analysed, then it is analysed again', () => {
    const memo = new AnalysisMemo();
    const entries = frozenFirm(2);
    const first = memo.analyse(entries);
    const changed = [...entries];
    changed[5] = deepFreeze({ ...entries[5]!, orientation: -entries[5]!.orientation || 2 });
    const second = memo.analyse(changed);
    expect(second).not.toBe(first);
    expect(second.analysis).toEqual(analyseFirm(changed));
  });

  it('given an entry added, other parameters or other declared phases, then the result is not reused', () => {
    const memo = new AnalysisMemo();
    const entries = frozenFirm(3);
    const first = memo.analyse(entries);
    const added = [...entries, deepFreeze(decision('2031-01', -2, 'late'))];
    expect(memo.analyse(added).analysis).toEqual(analyseFirm(added));
    const quarterly = memo.analyse(entries, [], { granularity: 'quarter' });
    expect(quarterly).not.toBe(first);
    expect(quarterly.analysis.tracks[0]!.period).toMatch(/Q/);
    const declared = [declaredPhase('2001-01', '2003-12', 'cost')];
    const withDeclared = memo.analyse(entries, declared);
    expect(withDeclared).not.toBe(first);
    expect(withDeclared.analysis).toEqual(analyseFirm(entries, declared));
    // The first is still remembered beside the others (capacity 4).
    expect(memo.analyse(entries)).toBe(first);
  });

  it('given entries that are not frozen, then nothing is remembered (they could change afterwards)', () => {
    const memo = new AnalysisMemo();
    const entries = syntheticFirm(4).entries.map((e) => structuredClone(e));
    const first = memo.analyse(entries);
    // Changed in place: the same objects, so only not remembering them keeps the result right.
    (entries[0] as { orientation: number }).orientation = entries[0]!.orientation === 2 ? -2 : 2;
    const second = memo.analyse(entries);
    expect(second).not.toBe(first);
    expect(second.analysis).toEqual(analyseFirm(entries));
  });

  it('keeps only the most recently used timelines', () => {
    const memo = new AnalysisMemo(2);
    const [a, b, c] = [frozenFirm(5), frozenFirm(6), frozenFirm(7)];
    const ra = memo.analyse(a);
    const rb = memo.analyse(b);
    expect(memo.analyse(a)).toBe(ra); // a is now the most recent
    memo.analyse(c); // evicts b
    expect(memo.analyse(a)).toBe(ra);
    expect(memo.analyse(b)).not.toBe(rb);
  });
});
