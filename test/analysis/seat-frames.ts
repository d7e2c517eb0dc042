import { decision, demandShift, ownership, profit, routine } from './entries.js';

/**
 * A hand-made case with a known answer (DOMAIN.md's illustration, condensed), worked out on
 * paper with the DEFAULT parameters (step 0.5 towards the median of the last 3 acts; ambiguity
 * 0.35 per demand shift or irregular profit, half-life 9 months, left below 0.4; phases ≥ 6 months):
 *
 *  2000-01..2001-01 customization  talk +2 → declared 0.5, +2 again in March → 0.75; routine +2
 *                                  → enacted 0.5. The January 2001 town hall (−2) after two +2
 *                                  acts is a lone deviation: the median is still +1, so talk holds.
 *  2001-02..2001-12 decoupled      cost targets (−2): median −1 → declared −0.125 (gap 0.625), a
 *                                  cost speech in March → −0.5625; enacted held at 0.5 (a change
 *                                  resisted in April)
 *  2002-01..2002-06 ambiguity      demand shift + irregular profit: 1 − 0.65² = 0.5775; another
 *                                  shift in Feb: 0.6976, decaying to 0.5126 by June
 *  2002-07..2002-12 cost           frozen horizon (−2; the +2 of 2000 is beyond the 24-month
 *                                  memory) → enacted −0.25; a commitment, so ambiguity halves to
 *                                  0.237; mean orientation −0.406
 */
export const SEAT_FRAMES = [
  decision('2000-01', 2, 'founder-build-to-order'),
  routine('2000-01', 2, 'introduced', 'call-off-planning'),
  decision('2000-03', 2, 'founder-variants'),
  ownership('2001-01', 'owner-sale'),
  decision('2001-01', -2, 'town-hall'),
  decision('2001-02', -2, 'cost-targets'),
  decision('2001-03', -2, 'cost-speech'),
  routine('2001-04', -2, 'resisted', 'forecast-resisted'),
  demandShift('2002-01', 'demand-1'),
  profit('2002-01', 'irregular', 'profit-1'),
  demandShift('2002-02', 'demand-2'),
  routine('2002-07', -2, 'modified', 'frozen-horizon'),
];
export const SEAT_FRAMES_UNTIL = '2002-12';
