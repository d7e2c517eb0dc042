import { describe, expect, it } from '@jest/globals';
import { cohensKappa, percentAgreement } from '../../src/analysis/agreement.js';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import { normaliseLabel } from '../../src/analysis/researcher-phases.js';
import { declaredPhase } from './entries.js';
import { SEAT_FRAMES, SEAT_FRAMES_UNTIL } from './seat-frames.js';

describe("Cohen's kappa", () => {
  it('matches a hand-computed three-label example', () => {
    // pₒ = 5/6; pₑ = (3·2 + 2·3 + 1·1)/36 = 13/36; κ = (30 − 13)/(36 − 13) = 17/23
    expect(cohensKappa([...'AAABBC'], [...'AABBBC'])).toBeCloseTo(17 / 23, 12);
    expect(percentAgreement([...'AAABBC'], [...'AABBBC'])).toBeCloseTo(5 / 6, 12);
  });

  it('matches the textbook yes/no example (20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no → 0.4)', () => {
    const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
    expect(cohensKappa(a, b)).toBeCloseTo(0.4, 12);
  });

  it('is 1 for perfect agreement, negative below chance, and undefined when chance explains everything', () => {
    expect(cohensKappa([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(cohensKappa(['a', 'b'], ['b', 'a'])).toBe(-1);
    expect(cohensKappa(['a', 'a'], ['a', 'a'])).toBeNull();
    expect(cohensKappa([], [])).toBeNull();
    expect(() => cohensKappa([1], [1, 2])).toThrow(RangeError);
  });
});

describe('researcher phases beside detected ones', () => {
  it('maps researchers’ words onto the detector’s labels', () => {
    expect(normaliseLabel('Founder customization')).toBe('customization');
    expect(normaliseLabel('Hybrid: co-design cell')).toBe('mixed');
    expect(normaliseLabel('COST')).toBe('cost');
    expect(normaliseLabel('The long winter')).toBeNull();
  });

  it('gives per-phase agreement and overall agreement and kappa (worked by hand)', () => {
    // Detected: customization 2000-01..2001-01 (13), decoupled 2001-02..12 (11),
    // ambiguity 2002-01..06 (6), cost 2002-07..12 (6).
    const declared = [
      declaredPhase('2000', '2000-12', 'Founder customization', 1),
      declaredPhase('2001-01', '2002-05', 'decoupled', 2),
      declaredPhase('2002-06', '2002-12', 'Cost focus', 3),
      declaredPhase('2003', '2003', 'Afterwards', 4),
    ];
    const r = analyseFirm(SEAT_FRAMES, declared, { until: SEAT_FRAMES_UNTIL }).researcherPhases;
    expect(r.phases.map((p) => [p.label, p.normalisedLabel, p.periods, p.agreement, p.detectedLabel])).toEqual([
      ['Founder customization', 'customization', 12, 1, 'customization'],
      ['decoupled', 'decoupled', 17, 11 / 17, 'decoupled'],
      ['Cost focus', 'cost', 7, 6 / 7, 'cost'],
      ['Afterwards', null, 0, null, null],
    ]);
    expect(r.comparedPeriods).toBe(36);
    expect(r.labelAgreement).toBeCloseTo(29 / 36, 12);
    // Researcher C 12, D 17, K 7; detected over the same months C 13, D 11, A 6, K 6.
    // pₑ = (12·13 + 17·11 + 7·6)/36² = 385/1296; κ = (1044 − 385)/(1296 − 385)
    expect(r.kappa).toBeCloseTo(659 / 911, 12);
  });
});
