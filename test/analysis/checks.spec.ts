import { describe, expect, it } from '@jest/globals';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { decision, demandShift, entry, profit, routine } from './entries.js';
import { SEAT_FRAMES, SEAT_FRAMES_UNTIL } from './seat-frames.js';

const check = (events: readonly TimelineEntry[], id: string, until?: string) => {
  const c = analyseFirm(events, [], until ? { until } : {}).checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
};

describe('mechanism checks on the hand-made case', () => {
  it('ownership-then-cost holds, citing the sale and the talk that followed', () => {
    const c = check(SEAT_FRAMES, 'ownership-then-cost', SEAT_FRAMES_UNTIL);
    expect(c.holds).toBe(true);
    expect(c.evidence).toEqual(['owner-sale', 'town-hall', 'cost-targets', 'cost-speech']);
  });

  it('procedural-resistance holds: gap of 17 months, citing the talk, the resisted change and the change that closed it', () => {
    const c = check(SEAT_FRAMES, 'procedural-resistance', SEAT_FRAMES_UNTIL);
    expect(c.holds).toBe(true);
    expect(c.evidence).toEqual(['cost-targets', 'forecast-resisted', 'frozen-horizon']);
    expect(c.detail).toContain('2001-02–2002-06 (17 periods)');
  });

  it('ambiguity-then-cost does not hold: the talk had already moved to cost before ambiguity rose', () => {
    const c = check(SEAT_FRAMES, 'ambiguity-then-cost', SEAT_FRAMES_UNTIL);
    expect(c.holds).toBe(false);
    expect(c.evidence).toEqual([]);
  });
});

describe('mechanism checks on small cases', () => {
  const founded = [decision('2000-01', 2, 'talk'), routine('2000-01', 2, 'introduced', 'routine')];

  it('ambiguity-then-cost holds when the declared move to cost follows ambiguity within 12 months', () => {
    // Two cost decisions: the first alone only moves talk to neutral (median of +1, −1).
    const events = [
      ...founded,
      demandShift('2001-01', 'shift'),
      profit('2001-01', 'irregular', 'margins'),
      decision('2001-06', -2, 'cut'),
      decision('2001-07', -2, 'cut-2'),
    ];
    const c = check(events, 'ambiguity-then-cost');
    expect(c.holds).toBe(true);
    // Same month: analysis order breaks the tie by id.
    expect(c.evidence).toEqual(['margins', 'shift', 'cut', 'cut-2']);
  });

  it('ambiguity-then-cost does not hold when the move comes later than 12 months', () => {
    const events = [...founded, demandShift('2001-01'), profit('2001-01', 'irregular'), decision('2002-03', -2), decision('2002-04', -2)];
    expect(check(events, 'ambiguity-then-cost').holds).toBe(false);
  });

  it('procedural-resistance needs the gap to last the minimum number of periods', () => {
    // Gap opens 2001-01 (two cost statements) and closes 2001-06 (two routine changes): five months.
    const events = [
      ...founded,
      decision('2001-01', -2, 'talk-cost'),
      decision('2001-01', -2, 'talk-cost-2'),
      routine('2001-06', -2, 'modified', 'follow'),
      routine('2001-06', -2, 'modified', 'follow-2'),
    ];
    expect(check(events, 'procedural-resistance').holds).toBe(false);
    const lenient = analyseFirm(events, [], { resistanceMinPeriods: 5 }).checks.find((c) => c.id === 'procedural-resistance')!;
    expect(lenient.holds).toBe(true);
    expect(lenient.evidence).toEqual(['talk-cost', 'talk-cost-2', 'follow', 'follow-2']);
  });

  it('responsiveness-fallacy holds when responsiveness is claimed in cost-oriented practice while response declines', () => {
    const events = [
      routine('2000-01', -2, 'introduced', 'batches'),
      routine('2000-02', -2, 'introduced', 'frozen'),
      decision('2000-02', -2, 'cost-talk'),
      entry({ kind: 'strategy-decision', occurred: '2000-05', orientation: -1, claimsResponsiveness: true, id: 'brochure' }),
      entry({ kind: 'customer-response-observation', occurred: '2000-09', trend: 'declining', id: 'late-deliveries' }),
    ];
    const c = check(events, 'responsiveness-fallacy');
    expect(c.holds).toBe(true);
    expect(c.evidence).toEqual(['brochure', 'late-deliveries']);
  });

  it('responsiveness-fallacy does not hold when the claim is made in a customization phase', () => {
    const events = [
      ...founded,
      entry({ kind: 'strategy-decision', occurred: '2000-05', orientation: 2, claimsResponsiveness: true }),
      entry({ kind: 'customer-response-observation', occurred: '2000-09', trend: 'declining' }),
    ];
    expect(check(events, 'responsiveness-fallacy').holds).toBe(false);
  });
});
