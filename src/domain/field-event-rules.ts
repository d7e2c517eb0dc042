import type { FieldProblem } from './errors.js';
import type { FieldEventData, KindFields, Source } from './events.js';
import { isOccurredError, parseOccurred } from './occurred.js';
import {
  CONFIDENCE_LEVELS,
  DEFAULT_MODE,
  DEMAND_DIMENSIONS,
  DEMAND_DIRECTIONS,
  EVENT_KINDS,
  isEventKind,
  KIND_FIELDS,
  LIMITS,
  MODES,
  NETWORK_CHANGES,
  PROFITABILITY_TRENDS,
  RESPONSE_TRENDS,
  ROUTINE_CHANGES,
  SLUG_MAX,
  SLUG_PATTERN,
  SOURCE_KINDS,
  type EventKind,
} from './vocabulary.js';

/** Allowed values of the kind-specific enum fields (`change` and `trend` differ per kind). */
const KIND_ENUMS: Partial<Record<EventKind, Record<string, readonly string[]>>> = {
  'demand-shift': { dimension: DEMAND_DIMENSIONS, direction: DEMAND_DIRECTIONS },
  'planning-routine-change': { change: ROUTINE_CHANGES },
  'profitability-observation': { trend: PROFITABILITY_TRENDS },
  'network-change': { change: NETWORK_CHANGES },
  'customer-response-observation': { trend: RESPONSE_TRENDS },
};

const COMMON_FIELDS = new Set([
  'id',
  'firm',
  'kind',
  'occurred',
  'title',
  'description',
  'mode',
  'orientation',
  'claimsResponsiveness',
  'sources',
  'confidence',
  'tags',
  'coder',
]);

const ALL_KIND_FIELDS = new Set(Object.values(KIND_FIELDS).flatMap((f) => [...f.required, ...f.optional]));

/** Per kind, its own fields in FORMAT.md order with whether each is required (computed once, not per event). */
const KIND_SPECS = Object.fromEntries(
  Object.entries(KIND_FIELDS).map(([kind, f]) => [
    kind,
    {
      fields: [...f.required.map((name) => ({ name, required: true })), ...f.optional.map((name) => ({ name, required: false }))],
      own: new Set([...f.required, ...f.optional]),
    },
  ]),
) as unknown as Record<EventKind, { fields: ReadonlyArray<{ name: string; required: boolean }>; own: ReadonlySet<string> }>;

const SOURCE_FIELDS = new Set(['kind', 'ref', 'informant', 'quote']);

/**
 * `today` as YYYY-MM-DD, for isInFuture's comparison; remembered for the last Date seen, since
 * an import judges thousands of events against the same `today`.
 */
let lastDay: { time: number; day: string } | undefined;
function dayOf(today: Date): string {
  const time = today.getTime();
  if (lastDay?.time !== time) lastDay = { time, day: today.toISOString().slice(0, 10) };
  return lastDay.day;
}

const list = (values: readonly string[]) => values.join(', ');

export function slugProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'is required';
  if (value.length > SLUG_MAX) return `must be at most ${SLUG_MAX} characters`;
  if (!SLUG_PATTERN.test(value)) return 'must be a slug: lowercase letters, digits and hyphens, starting with a letter or digit';
  return undefined;
}

function text(
  problems: FieldProblem[],
  field: string,
  value: unknown,
  opts: { required: boolean; max: number; oneLine?: boolean },
): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (opts.required) problems.push({ field, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ field, message: 'must be a string' });
    return undefined;
  }
  if (opts.required && value.trim() === '') problems.push({ field, message: 'must not be blank' });
  if (value.length > opts.max) problems.push({ field, message: `must be at most ${opts.max} characters (got ${value.length})` });
  if (opts.oneLine && /[\r\n]/.test(value)) problems.push({ field, message: 'must be one line' });
  return value;
}

function oneOf(problems: FieldProblem[], field: string, value: unknown, allowed: readonly string[], required: boolean) {
  if (value === undefined || value === null || value === '') {
    if (required) problems.push({ field, message: `is required (one of ${list(allowed)})` });
    return undefined;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problems.push({ field, message: `must be one of ${list(allowed)} (got ${JSON.stringify(value)})` });
    return undefined;
  }
  return value;
}

export function sourcesOf(problems: FieldProblem[], value: unknown): Source[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ field: 'sources', message: 'must be a list of {kind, ref, informant?, quote?}' });
    return [];
  }
  if (value.length > LIMITS.sources) problems.push({ field: 'sources', message: `must have at most ${LIMITS.sources} items` });
  return value.map((raw, i) => {
    const field = `sources[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ field, message: 'must be an object {kind, ref, informant?, quote?}' });
      return { kind: 'other', ref: '' } as Source;
    }
    const s = raw as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (!SOURCE_FIELDS.has(k)) problems.push({ field: `${field}.${k}`, message: 'is not a source field' });
    }
    const source: { -readonly [K in keyof Source]: Source[K] } = {
      kind: (oneOf(problems, `${field}.kind`, s.kind, SOURCE_KINDS, true) ?? 'other') as Source['kind'],
      ref: text(problems, `${field}.ref`, s.ref, { required: true, max: LIMITS.shortText, oneLine: true }) ?? '',
    };
    const informant = text(problems, `${field}.informant`, s.informant, { required: false, max: LIMITS.shortText, oneLine: true });
    const quote = text(problems, `${field}.quote`, s.quote, { required: false, max: LIMITS.quote });
    if (informant !== undefined) source.informant = informant;
    if (quote !== undefined) source.quote = quote;
    return source;
  });
}

function tagsOf(problems: FieldProblem[], value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string')) {
    problems.push({ field: 'tags', message: 'must be a list of strings' });
    return [];
  }
  if (value.length > LIMITS.tags) problems.push({ field: 'tags', message: `must have at most ${LIMITS.tags} items` });
  value.forEach((t: string, i) => {
    if (t.trim() === '' || t.length > LIMITS.tag) problems.push({ field: `tags[${i}]`, message: `must be 1 to ${LIMITS.tag} characters` });
  });
  return value as string[];
}

/**
 * Checks a field event against every rule of FORMAT.md and fills in the defaults (mode per
 * kind, orientation 0, confidence medium). Returns every problem at once, so an import can
 * list them all by line and field. `today` decides what "in the future" means.
 */
export function normalizeFieldEvent(
  input: Readonly<Record<string, unknown>>,
  today: Date,
): { value: FieldEventData; problems: [] } | { value?: undefined; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const firmProblem = slugProblem(input.firm);
  if (firmProblem) problems.push({ field: 'firm', message: firmProblem });

  const kind = input.kind;
  if (!isEventKind(kind)) {
    problems.push({
      field: 'kind',
      message:
        kind === undefined || kind === ''
          ? `is required (one of ${list(EVENT_KINDS)})`
          : `unknown kind ${JSON.stringify(kind)}; must be one of ${list(EVENT_KINDS)}`,
    });
    return { problems };
  }

  let occurred: string | undefined;
  if (input.occurred === undefined || input.occurred === null || input.occurred === '') {
    problems.push({ field: 'occurred', message: 'is required (YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD)' });
  } else {
    const parsed = parseOccurred(String(input.occurred));
    if (typeof input.occurred !== 'string') problems.push({ field: 'occurred', message: 'must be a string' });
    else if (isOccurredError(parsed)) problems.push({ field: 'occurred', message: parsed.error });
    // isInFuture(parsed, today), with today's date computed once per `today`.
    else if (parsed.start > dayOf(today)) problems.push({ field: 'occurred', message: `${parsed.text} is in the future` });
    else occurred = parsed.text;
  }

  const title = text(problems, 'title', input.title, { required: true, max: LIMITS.title, oneLine: true });
  const description = text(problems, 'description', input.description, { required: false, max: LIMITS.description });
  const mode = oneOf(problems, 'mode', input.mode, MODES, false) ?? DEFAULT_MODE[kind];

  let orientation = 0;
  if (input.orientation !== undefined && input.orientation !== null) {
    const o = input.orientation;
    if (typeof o !== 'number' || !Number.isInteger(o) || o < LIMITS.orientationMin || o > LIMITS.orientationMax) {
      problems.push({
        field: 'orientation',
        message: `must be an integer from ${LIMITS.orientationMin} (cost) to +${LIMITS.orientationMax} (customization) (got ${JSON.stringify(o)})`,
      });
    } else orientation = o;
  }

  let claimsResponsiveness: boolean | undefined;
  if (input.claimsResponsiveness !== undefined && input.claimsResponsiveness !== null) {
    if (typeof input.claimsResponsiveness !== 'boolean') problems.push({ field: 'claimsResponsiveness', message: 'must be true or false' });
    else claimsResponsiveness = input.claimsResponsiveness;
  }

  const sources = sourcesOf(problems, input.sources);
  const confidence = oneOf(problems, 'confidence', input.confidence, CONFIDENCE_LEVELS, false) ?? 'medium';
  const tags = tagsOf(problems, input.tags);
  const coder = text(problems, 'coder', input.coder, { required: false, max: LIMITS.shortText, oneLine: true });

  const own: Record<string, unknown> = {};
  const spec = KIND_SPECS[kind];
  const enums = KIND_ENUMS[kind];
  for (const { name: field, required } of spec.fields) {
    const value = input[field];
    if (field === 'magnitudePct') {
      if (value !== undefined && value !== null) {
        if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ field, message: 'must be a number' });
        else own[field] = value;
      }
      continue;
    }
    const allowed = enums?.[field];
    const v = allowed
      ? oneOf(problems, field, value, allowed, required)
      : text(problems, field, value, { required, max: LIMITS.shortText, oneLine: true });
    if (v !== undefined) own[field] = v;
  }
  for (const field of Object.keys(input)) {
    if (COMMON_FIELDS.has(field) || spec.own.has(field)) continue;
    if (input[field] === undefined) continue;
    problems.push({
      field,
      message: ALL_KIND_FIELDS.has(field) ? `does not apply to kind ${kind}` : 'is not a field of an event',
    });
  }
  if (kind === 'ownership-change' && own.newOwner !== undefined && own.newOwner === own.previousOwner) {
    problems.push({ field: 'newOwner', message: 'must differ from previousOwner' });
  }

  if (problems.length > 0) return { problems };
  // Built field by field in FORMAT.md order (the order the stored JSON keeps), without spreads.
  const value: Record<string, unknown> = { firm: input.firm as string, kind, occurred: occurred!, title: title! };
  if (description !== undefined) value.description = description;
  value.mode = mode;
  value.orientation = orientation;
  if (claimsResponsiveness !== undefined) value.claimsResponsiveness = claimsResponsiveness;
  value.sources = sources;
  value.confidence = confidence;
  value.tags = tags;
  if (coder !== undefined) value.coder = coder;
  for (const field in own) value[field] = own[field];
  return { value: value as unknown as FieldEventData, problems: [] };
}
