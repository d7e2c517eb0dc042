/** Flags and flag parsing shared by `log` and `recode`. */
/** CLI flag for each kind-specific field (FORMAT.md name on the right). */
export const KIND_FLAGS: Record<string, { flag: string; help: string }> = {
  newOwner: { flag: '--new-owner <name>', help: 'ownership-change: the new owner (required)' },
  previousOwner: { flag: '--previous-owner <name>', help: 'ownership-change: the previous owner' },
  dimension: { flag: '--dimension <d>', help: 'demand-shift: volume, mix, volatility or requirements (required)' },
  direction: { flag: '--direction <d>', help: 'demand-shift: up, down or mixed' },
  magnitudePct: { flag: '--magnitude-pct <n>', help: 'demand-shift: size of the shift in percent' },
  routine: { flag: '--routine <text>', help: 'planning-routine-change: the routine (required)' },
  change: {
    flag: '--change <c>',
    help: 'planning-routine-change: introduced, modified, abandoned or resisted; network-change: outsourcing, offshoring, alliance, supplier-base-cut, tier-change, co-design or other (required)',
  },
  trend: { flag: '--trend <t>', help: 'profitability-observation: improving, stable, declining or irregular; customer-response-observation: improving, stable or declining (required)' },
  measure: { flag: '--measure <text>', help: 'customer-response-observation: what was measured' },
};

/** A number when the flag text is one, so validation can say "must be an integer" about the rest. */
export function numeric(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

/** `--source interview:INT-03:CFO` → {kind, ref, informant}. */
export function parseSource(item: string): Record<string, string> {
  const [kind = '', ref = '', ...informant] = item.split(':');
  return { kind, ref, ...(informant.length ? { informant: informant.join(':') } : {}) };
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

