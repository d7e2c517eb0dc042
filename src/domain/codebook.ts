import type { FieldProblem } from './errors.js';
import { EVENT_KINDS, LIMITS, MODES, type EventKind, type Mode } from './vocabulary.js';

/**
 * A study's codebook: what each kind, mode and orientation value means, with examples, so two
 * coders apply the same scheme and a report can say which version it was coded under.
 */
export interface CodeDefinition {
  readonly definition: string;
  readonly examples?: readonly string[];
}

export interface Codebook {
  readonly kinds: Readonly<Partial<Record<EventKind, CodeDefinition>>>;
  readonly modes: Readonly<Partial<Record<Mode, CodeDefinition>>>;
  /** Keys "-2".."2". */
  readonly orientation: Readonly<Record<string, CodeDefinition>>;
}

/** Version 0: the scheme of FORMAT.md and DOMAIN.md, in force until a study publishes its own. */
export const DEFAULT_CODEBOOK: Codebook = {
  kinds: {
    'strategy-decision': { definition: 'A goal set, reframed or re-prioritised; a strategy adopted.', examples: ['Town hall: "cost leader in our tier"'] },
    'ownership-change': { definition: 'Acquisition, merger, joining a group, buy-out.', examples: ['Founder sells to a holding group'] },
    'demand-shift': { definition: 'Volume, mix, volatility or requirements of customer demand change.', examples: ['A customer moves to a high-volume platform'] },
    'planning-routine-change': { definition: 'A planning or production routine introduced, modified, abandoned, or a change attempted and resisted.', examples: ['Frozen planning horizon introduced', 'Planners keep call-off spreadsheets beside the imposed forecast plan (resisted)'] },
    'profitability-observation': { definition: 'Margins improving, stable, declining or irregular.', examples: ['Margins swing quarter to quarter'] },
    'network-change': { definition: 'Outsourcing, offshoring, alliance, supplier-base cut, tier change, co-design started.', examples: ['Co-design programme with a new customer'] },
    'customer-response-observation': { definition: 'Realised responsiveness: delivery performance, complaints.', examples: ['On-time delivery of variants falls to 80 %'] },
  },
  modes: {
    interactive: { definition: 'Talk, persuasion, negotiation, rhetoric: reframes and realigns goals (moves the declared track).' },
    procedural: { definition: 'Formal routines (planning, budgeting, frozen horizons, batch rules): moves the enacted track only when a routine changes.' },
    context: { definition: 'An outside circumstance, not an act of strategizing (a demand shift, a profit figure): moves no track.' },
  },
  orientation: {
    '-2': { definition: 'Strongly towards cost focus: standardization, scale, frozen plans, offshoring as a cost valve.' },
    '-1': { definition: 'Somewhat towards cost focus.' },
    '0': { definition: 'Neutral or mixed: no clear direction, or both at once.' },
    '1': { definition: 'Somewhat towards customization focus.' },
    '2': { definition: 'Strongly towards customization: build to customer order, variants, co-design, responsiveness.' },
  },
};

function definitionProblems(path: string, value: unknown, problems: FieldProblem[]): void {
  if (typeof value !== 'object' || value === null) return void problems.push({ field: path, message: 'must be {definition, examples?}' });
  const v = value as Record<string, unknown>;
  if (typeof v.definition !== 'string' || v.definition.trim() === '' || v.definition.length > LIMITS.description) {
    problems.push({ field: `${path}.definition`, message: 'is required, at most 10,000 characters' });
  }
  if (v.examples !== undefined && (!Array.isArray(v.examples) || v.examples.some((e) => typeof e !== 'string'))) {
    problems.push({ field: `${path}.examples`, message: 'must be a list of strings' });
  }
}

/** Checks a codebook's structure; codes it defines must be codes the tool knows. */
export function codebookProblems(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof value !== 'object' || value === null) return [{ field: 'codebook', message: 'must be an object {kinds, modes, orientation}' }];
  const cb = value as Record<string, unknown>;
  const section = (name: string, allowed: readonly string[]) => {
    const s = cb[name];
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return void problems.push({ field: `codebook.${name}`, message: 'must be an object' });
    for (const [key, def] of Object.entries(s)) {
      if (!allowed.includes(key)) problems.push({ field: `codebook.${name}.${key}`, message: `is not a known code (${allowed.join(', ')})` });
      else definitionProblems(`codebook.${name}.${key}`, def, problems);
    }
  };
  section('kinds', EVENT_KINDS);
  section('modes', MODES);
  section('orientation', ['-2', '-1', '0', '1', '2']);
  return problems;
}
