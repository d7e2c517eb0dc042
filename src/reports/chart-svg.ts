import { frozenMemo } from '../analysis/frozen-memo.js';
import { EVENT_KINDS, MODES, PHASE_LABELS } from '../domain/vocabulary.js';
import type { Mode } from '../domain/vocabulary.js';
import { AMBIGUITY_FILL, DECLARED_STROKE, ENACTED_STROKE, KIND_COLOURS, LABEL_COLOURS } from './chart-style.js';
import { escapeXml as esc } from './escape.js';
import { lineWriter, NEWLINE, pageBytes, utf8, type Piece } from './page-bytes.js';
import type { ReportEvent, ReportModel } from './report-model.js';

/** Room a phase band's name needs: ~5.6 px per character at font-size 10 (Helvetica), plus margins. */
const BAND_LABEL_CHAR_WIDTH = 5.6;
const BAND_LABEL_MARGIN = 6;

export interface ChartOptions {
  /** A standalone file needs the SVG namespace and its own background and fonts. */
  readonly standalone: boolean;
  readonly width?: number;
  /** Printed above the chart; none when omitted. */
  readonly caption?: string;
}

const n2 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** Marker glyph: shape by mode (circle interactive, square procedural, diamond context). */
function glyph(mode: Mode, x: number, y: number, fill: string, hollow: boolean): string {
  const paint = hollow ? `fill="#ffffff" stroke="${fill}" stroke-width="1.5"` : `fill="${fill}"`;
  switch (mode) {
    case 'interactive':
      return `<circle cx="${n2(x)}" cy="${n2(y)}" r="3.5" ${paint}/>`;
    case 'procedural':
      return `<rect x="${n2(x - 3.2)}" y="${n2(y - 3.2)}" width="6.4" height="6.4" ${paint}/>`;
    case 'context':
      return `<path d="M${n2(x)} ${n2(y - 4)}L${n2(x + 4)} ${n2(y)}L${n2(x)} ${n2(y + 4)}L${n2(x - 4)} ${n2(y)}Z" ${paint}/>`;
  }
}

// A marker's tooltip depends on its event alone: kept with frozen report events (see
// report-model.ts), so the next chart of the same firm reuses it.
// Kept as UTF-8 bytes: the page is assembled from bytes (see page-bytes.ts).
const tooltip = frozenMemo((e: ReportEvent): Uint8Array =>
  utf8(esc(`${e.occurred} · ${e.kind}${e.qualifier ? ` (${e.qualifier})` : ''}: ${e.title} — ${e.mode}, orientation ${e.orientation > 0 ? '+' : ''}${e.orientation} [${e.id}]`)),
);
const MARKER_OPEN = utf8('<g><title>');

/** Indices of periods that open a year, thinned so at most ~12 are labelled. */
function tickSlots(periods: readonly string[]): number[] {
  const opens = periods
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => /^\d{4}$/.test(p) || p.endsWith('-01') || p.endsWith('-Q1'))
    .map(({ i }) => i);
  const candidates = opens.length > 0 ? opens : [0];
  const stride = Math.max(1, Math.ceil(candidates.length / 12));
  return candidates.filter((_, k) => k % stride === 0);
}

/**
 * The firm's chart: phase bands coloured by label; declared (solid) and enacted (dashed) tracks
 * as step lines, since levels hold between events; one lane per event kind with a marker per
 * event (tooltip via <title>); ambiguity as an area with its threshold; axes and a legend.
 * No script and no external resource: it renders the same inline, as a file, or printed.
 */
export function renderChartSvg(model: ReportModel, options: ChartOptions): string {
  return pageBytes(chartSvgPieces(model, options)).toString('utf8');
}

/**
 * The chart as pieces of a page, lines separated by newlines: the HTML report copies them into
 * its own bytes (a 10,000-event chart is ~1.5 MB) instead of joining them first.
 */
export function chartSvgPieces(model: ReportModel, options: ChartOptions): Piece[] {
  const W = options.width ?? 960;
  const left = 64;
  const right = 20;
  const plotW = W - left - right;
  const top = options.caption ? 34 : 14;
  const orientH = 220;
  const laneTop = top + orientH + 12;
  const laneRow = 9;
  const laneH = laneRow * EVENT_KINDS.length;
  const ambTop = laneTop + laneH + 12;
  const ambH = 80;
  const axisBottom = ambTop + ambH;
  const legendTop = axisBottom + 52;
  const legendRow = 18;
  const legendColW = 200;
  const legendCols = Math.max(1, Math.floor((W - left) / legendColW));
  const legendItems = 3 + PHASE_LABELS.length + EVENT_KINDS.length + MODES.length;
  const H = legendTop + Math.ceil(legendItems / legendCols) * legendRow + 10;

  const tracks = model.tracks;
  const n = tracks.length;
  const slot = new Map(tracks.map((t, i) => [t.period, i]));
  const x = (i: number): number => left + (n === 0 ? 0 : (i * plotW) / n);
  const yO = (v: number): number => top + ((1 - v) / 2) * orientH;
  const yA = (v: number): number => ambTop + (1 - v) * ambH;

  const pieces: Piece[] = [];
  const out = lineWriter(pieces);
  const ns = options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  out.push(
    `<svg${ns} viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${esc(`${model.firm.name}: declared and enacted orientation, goal ambiguity and phases`)}</title>`,
  );
  if (options.standalone) out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  if (options.caption) out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(options.caption)}</text>`);

  if (n === 0) {
    out.push(`<text x="${left}" y="${top + 40}">No events: nothing to chart.</text></svg>`);
    return pieces;
  }

  // Phase bands behind both panels.
  out.push('<g class="phases">');
  for (const p of model.phases) {
    const a = slot.get(p.fromPeriod);
    const b = slot.get(p.toPeriod);
    if (a === undefined || b === undefined) continue;
    const colour = LABEL_COLOURS[p.label];
    const tip = `${p.label}: ${p.from} – ${p.to}; declared ${p.declared}, enacted ${p.enacted}, ambiguity ${p.ambiguity}; dominant mode ${p.dominantMode}`;
    const width = x(b + 1) - x(a);
    // A band too narrow for its name would print it over the next band's: the colour, the legend
    // and the tooltip still say which phase it is.
    const named = width >= BAND_LABEL_MARGIN + p.label.length * BAND_LABEL_CHAR_WIDTH;
    out.push(
      `<g><title>${esc(tip)}</title>` +
        `<rect x="${n2(x(a))}" y="${top}" width="${n2(width)}" height="${orientH}" fill="${colour}" fill-opacity="0.16"/>` +
        `<rect x="${n2(x(a))}" y="${ambTop}" width="${n2(width)}" height="${ambH}" fill="${colour}" fill-opacity="0.16"/>` +
        (named ? `<text x="${n2(x(a) + 3)}" y="${top + 12}" fill="${colour}" font-size="10">${esc(p.label)}</text>` : '') +
        '</g>',
    );
  }
  out.push('</g>');

  // Axes and grid.
  out.push('<g class="axes" stroke="#444" stroke-width="1" fill="none">');
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${orientH}"/>`);
  out.push(`<rect x="${left}" y="${ambTop}" width="${plotW}" height="${ambH}"/>`);
  out.push(`<line x1="${left}" y1="${n2(yO(0))}" x2="${left + plotW}" y2="${n2(yO(0))}" stroke="#999" stroke-dasharray="2 3"/>`);
  const threshold = model.method.parameters.ambiguityThreshold;
  out.push(`<line x1="${left}" y1="${n2(yA(threshold))}" x2="${left + plotW}" y2="${n2(yA(threshold))}" stroke="${AMBIGUITY_FILL}" stroke-dasharray="4 3"/>`);
  out.push('</g>');
  out.push('<g class="ticks" fill="#222">');
  for (const v of [-1, -0.5, 0, 0.5, 1]) {
    out.push(`<text x="${left - 6}" y="${n2(yO(v) + 4)}" text-anchor="end">${v > 0 ? '+' : ''}${v}</text>`);
  }
  for (const v of [0, 0.5, 1]) out.push(`<text x="${left - 6}" y="${n2(yA(v) + 4)}" text-anchor="end">${v}</text>`);
  for (const i of tickSlots(tracks.map((t) => t.period))) {
    out.push(`<line x1="${n2(x(i))}" y1="${axisBottom}" x2="${n2(x(i))}" y2="${axisBottom + 5}" stroke="#444"/>`);
    out.push(`<text x="${n2(x(i))}" y="${axisBottom + 17}" text-anchor="middle">${esc(tracks[i]!.period)}</text>`);
  }
  out.push(
    `<text transform="translate(14 ${n2(top + orientH / 2)}) rotate(-90)" text-anchor="middle">orientation (− cost · customization +)</text>`,
    `<text transform="translate(14 ${n2(ambTop + ambH / 2)}) rotate(-90)" text-anchor="middle">ambiguity</text>`,
    `<text x="${left - 6}" y="${n2(laneTop + laneH / 2 + 4)}" text-anchor="end">events</text>`,
    `<text x="${n2(left + plotW / 2)}" y="${axisBottom + 36}" text-anchor="middle">period (${esc(model.method.parameters.granularity)})</text>`,
  );
  out.push('</g>');

  // Tracks as step lines: a level holds across its period and jumps at the boundary.
  const step = (values: readonly number[], y: (v: number) => number): string => {
    let d = `M${n2(x(0))} ${n2(y(values[0]!))}`;
    for (let i = 0; i < values.length; i++) {
      if (i > 0) d += `V${n2(y(values[i]!))}`;
      d += `H${n2(x(i + 1))}`;
    }
    return d;
  };
  const amb = tracks.map((t) => t.ambiguity);
  out.push(
    `<path class="ambiguity" d="${step(amb, yA)}V${n2(yA(0))}H${n2(x(0))}Z" fill="${AMBIGUITY_FILL}" fill-opacity="0.35" stroke="${AMBIGUITY_FILL}" stroke-width="1"/>`,
    `<path class="enacted" d="${step(tracks.map((t) => t.enacted), yO)}" fill="none" stroke="${ENACTED_STROKE}" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<path class="declared" d="${step(tracks.map((t) => t.declared), yO)}" fill="none" stroke="${DECLARED_STROKE}" stroke-width="2"/>`,
  );

  // One lane per kind, one marker per event, with its tooltip.
  out.push('<g class="events">');
  EVENT_KINDS.forEach((kind, k) => {
    const y = laneTop + k * laneRow + laneRow / 2;
    out.push(`<line x1="${left}" y1="${n2(y)}" x2="${left + plotW}" y2="${n2(y)}" stroke="#e6e6e6"/>`);
  });
  // Events of one period, kind and mode share the same glyph: build each once (a 10,000-event
  // firm has a few hundred periods, so this saves most of the number formatting).
  // Each marker is `<g><title>tooltip</title>glyph</g>`; the end from `</title>` on is the glyph's.
  const glyphs = new Map<number, Uint8Array>();
  for (const e of model.events) {
    const i = slot.get(e.period);
    if (i === undefined) continue;
    const k = EVENT_KINDS.indexOf(e.kind);
    const hollow = e.kind === 'planning-routine-change' && e.qualifier?.startsWith('resisted') === true;
    const glyphKey = ((i * 9 + k + 1) * 4 + MODES.indexOf(e.mode) + 1) * 2 + (hollow ? 1 : 0);
    let end = glyphs.get(glyphKey);
    if (end === undefined) {
      end = utf8(`</title>${glyph(e.mode, x(i + 0.5), laneTop + k * laneRow + laneRow / 2, KIND_COLOURS[e.kind], hollow)}</g>`);
      glyphs.set(glyphKey, end);
    }
    pieces.push(NEWLINE, MARKER_OPEN, tooltip(e), end);
  }
  out.push('</g>');

  // Legend.
  const items: Array<{ swatch: string; label: string }> = [
    { swatch: `<line x1="0" y1="0" x2="18" y2="0" stroke="${DECLARED_STROKE}" stroke-width="2"/>`, label: 'declared orientation' },
    { swatch: `<line x1="0" y1="0" x2="18" y2="0" stroke="${ENACTED_STROKE}" stroke-width="2" stroke-dasharray="6 4"/>`, label: 'enacted orientation' },
    { swatch: `<rect x="0" y="-5" width="18" height="10" fill="${AMBIGUITY_FILL}" fill-opacity="0.35"/>`, label: 'goal ambiguity' },
    ...PHASE_LABELS.map((l) => ({ swatch: `<rect x="0" y="-5" width="18" height="10" fill="${LABEL_COLOURS[l]}" fill-opacity="0.35"/>`, label: `phase: ${l}` })),
    ...EVENT_KINDS.map((k) => ({ swatch: `<circle cx="9" cy="0" r="4" fill="${KIND_COLOURS[k]}"/>`, label: k })),
    ...MODES.map((m) => ({ swatch: glyph(m, 9, 0, '#555', false), label: `${m} (shape)` })),
  ];
  out.push('<g class="legend">');
  items.forEach((item, k) => {
    const lx = left + (k % legendCols) * legendColW;
    const ly = legendTop + Math.floor(k / legendCols) * legendRow;
    out.push(`<g transform="translate(${lx} ${ly})">${item.swatch}<text x="24" y="4">${esc(item.label)}</text></g>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return pieces;
}
