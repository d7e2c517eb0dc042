import type { CrossCaseComparison, PhaseSequence } from '../analysis/compare.js';
import { PHASE_LABELS } from '../domain/vocabulary.js';
import { LABEL_COLOURS } from './chart-style.js';
import { escapeMarkdownCell as cell, escapeXml as esc } from './escape.js';

/** Cross-case report: pattern frequencies, clusters, distances and a sequence index plot. */
export interface CompareReportInput {
  readonly study: string | null;
  readonly generatedAt: string;
  readonly comparison: CrossCaseComparison;
  /** The per-period sequences compared, for the sequence index plot. */
  readonly sequences: readonly PhaseSequence[];
}

export const COMPARE_FORMATS = ['md', 'json', 'html'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/** Matrices beyond this many firms are left out of md/html (they stay in json). */
const MATRIX_MAX_FIRMS = 40;
/** Rows beyond this many are left out of the sequence index plot. */
const PLOT_MAX_FIRMS = 300;

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function renderCompareJson(input: CompareReportInput): string {
  const { comparison: c } = input;
  return `${JSON.stringify(
    {
      study: input.study,
      generatedAt: input.generatedAt,
      method: c.method,
      firms: c.firms,
      patterns: c.patterns,
      clusters: c.clusters,
      distances: c.distances,
    },
    null,
    2,
  )}\n`;
}

function methodText(c: CrossCaseComparison): string {
  const cut = c.method.clusters !== null ? `${c.method.clusters} clusters` : `cut at average-linkage distance ${num(c.method.cutHeight ?? 0)}`;
  return `Optimal matching over per-period phase labels (substitution ${c.method.substitution}, indel ${c.method.indel}, as TraMineR's defaults); agglomerative clustering with average linkage, ${cut}.`;
}

export function renderCompareMarkdown(input: CompareReportInput): string {
  const c = input.comparison;
  const out: string[] = [`# Cross-case comparison${input.study ? `: ${cell(input.study)}` : ''}`, ''];
  out.push(`Firms: ${c.firms.length} · Generated: ${cell(input.generatedAt)}`, '', methodText(c), '');
  out.push('## Patterns', '', '| Pattern | Firms | Share | Which |', '| --- | --- | --- | --- |');
  for (const p of c.patterns) out.push(`| ${cell(p.pattern || '(none)')} | ${p.count} | ${pct(p.share)} | ${p.firms.map(cell).join(', ')} |`);
  out.push('', '## Clusters', '', '| # | Firms | Medoid | Medoid pattern | Mean distance | Members |', '| --- | --- | --- | --- | --- | --- |');
  for (const k of c.clusters) {
    out.push(`| ${k.id} | ${k.firms.length} | ${cell(k.medoid)} | ${cell(k.medoidPattern || '(none)')} | ${num(k.meanDistance)} | ${k.firms.map(cell).join(', ')} |`);
  }
  out.push('');
  if (c.firms.length > 0 && c.firms.length <= MATRIX_MAX_FIRMS) {
    out.push('## Distances', '', `| | ${c.firms.map((f) => cell(f.firm)).join(' | ')} |`, `| --- |${c.firms.map(() => ' --- |').join('')}`);
    c.distances.forEach((row, i) => out.push(`| ${cell(c.firms[i]!.firm)} | ${row.map(num).join(' | ')} |`));
    out.push('');
  } else if (c.firms.length > MATRIX_MAX_FIRMS) {
    out.push(`_The ${c.firms.length} × ${c.firms.length} distance matrix is in the JSON report._`, '');
  }
  return out.join('\n');
}

/** Sequence index plot (TraMineR's seqIplot): one row per firm, grouped by cluster, aligned at each firm's start. */
function sequencePlot(input: CompareReportInput): string {
  const c = input.comparison;
  const byFirm = new Map(input.sequences.map((s) => [s.firm, s]));
  const rows = c.clusters.flatMap((k) => k.firms.map((f) => ({ cluster: k.id, seq: byFirm.get(f) }))).filter((r) => r.seq);
  const shown = rows.slice(0, PLOT_MAX_FIRMS);
  const maxLen = Math.max(1, ...shown.map((r) => r.seq!.labels.length));
  const left = 150;
  const rowH = shown.length > 100 ? 3 : 12;
  const W = 960;
  const cellW = (W - left - 10) / maxLen;
  const legendTop = shown.length * rowH + 20;
  const H = legendTop + 30;
  const out: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" font-family="Helvetica, Arial, sans-serif" font-size="10">`];
  out.push('<title>Sequence index plot: each firm’s phase label per period since its first, grouped by cluster</title>');
  shown.forEach((r, i) => {
    const s = r.seq!;
    const y = i * rowH;
    const parts: string[] = [];
    let start = 0;
    for (let k = 1; k <= s.labels.length; k++) {
      if (k === s.labels.length || s.labels[k] !== s.labels[start]) {
        parts.push(
          `<rect x="${(left + start * cellW).toFixed(1)}" y="${y}" width="${((k - start) * cellW).toFixed(1)}" height="${Math.max(1, rowH - 1)}" fill="${LABEL_COLOURS[s.labels[start]!]}"/>`,
        );
        start = k;
      }
    }
    const label = rowH >= 10 ? `<text x="${left - 4}" y="${y + rowH - 3}" text-anchor="end">${esc(`${r.cluster} · ${s.firm}`)}</text>` : '';
    out.push(`<g><title>${esc(`cluster ${r.cluster} · ${s.firm}: ${s.pattern}`)}</title>${label}${parts.join('')}</g>`);
  });
  PHASE_LABELS.forEach((l, i) => {
    out.push(`<g transform="translate(${left + i * 140} ${legendTop})"><rect x="0" y="0" width="12" height="12" fill="${LABEL_COLOURS[l]}"/><text x="16" y="10">${l}</text></g>`);
  });
  out.push(`<text x="${left}" y="${legendTop + 26}">periods since each firm’s first period →</text>`);
  out.push('</svg>');
  const note = rows.length > shown.length ? `<p class="meta">First ${shown.length} of ${rows.length} firms shown.</p>` : '';
  return out.join('\n') + note;
}

export function renderCompareHtml(input: CompareReportInput): string {
  const c = input.comparison;
  const th = (xs: string[]) => `<tr>${xs.map((x) => `<th>${esc(x)}</th>`).join('')}</tr>`;
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${esc(`Cross-case comparison${input.study ? `: ${input.study}` : ''}`)}</title>`,
    '<style>body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1000px;color:#222}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.2rem .4rem;text-align:left}th{background:#f4f4f4}.meta{color:#666;font-size:.9rem}svg{max-width:100%;height:auto}</style>',
    '</head><body>',
    `<h1>Cross-case comparison${input.study ? `: ${esc(input.study)}` : ''}</h1>`,
    `<p class="meta">${c.firms.length} firms · generated ${esc(input.generatedAt)}</p>`,
    `<p>${esc(methodText(c))}</p>`,
    '<h2>Sequences</h2>',
    c.firms.length === 0 ? '<p>No firms.</p>' : sequencePlot(input),
    '<h2>Patterns</h2>',
    `<table>${th(['Pattern', 'Firms', 'Share', 'Which'])}${c.patterns
      .map((p) => `<tr><td>${esc(p.pattern || '(none)')}</td><td>${p.count}</td><td>${pct(p.share)}</td><td>${esc(p.firms.join(', '))}</td></tr>`)
      .join('')}</table>`,
    '<h2>Clusters</h2>',
    `<table>${th(['#', 'Firms', 'Medoid', 'Medoid pattern', 'Mean distance', 'Members'])}${c.clusters
      .map(
        (k) =>
          `<tr><td>${k.id}</td><td>${k.firms.length}</td><td>${esc(k.medoid)}</td><td>${esc(k.medoidPattern || '(none)')}</td><td>${num(k.meanDistance)}</td><td>${esc(k.firms.join(', '))}</td></tr>`,
      )
      .join('')}</table>`,
  ];
  if (c.firms.length > 0 && c.firms.length <= MATRIX_MAX_FIRMS) {
    const max = Math.max(1, ...c.distances.flat());
    parts.push(
      '<h2>Distances</h2>',
      `<table><tr><th></th>${c.firms.map((f) => `<th>${esc(f.firm)}</th>`).join('')}</tr>${c.distances
        .map(
          (row, i) =>
            `<tr><th>${esc(c.firms[i]!.firm)}</th>${row
              .map((d) => `<td style="background:rgba(78,121,167,${(1 - d / max).toFixed(2)})">${num(d)}</td>`)
              .join('')}</tr>`,
        )
        .join('')}</table>`,
    );
  } else if (c.firms.length > MATRIX_MAX_FIRMS) {
    parts.push(`<p class="meta">The ${c.firms.length} × ${c.firms.length} distance matrix is in the JSON report.</p>`);
  }
  parts.push('</body></html>');
  return parts.join('\n');
}

export function renderCompare(input: CompareReportInput, format: CompareFormat): string {
  switch (format) {
    case 'md':
      return renderCompareMarkdown(input);
    case 'json':
      return renderCompareJson(input);
    case 'html':
      return renderCompareHtml(input);
    default: {
      const never: never = format;
      throw new RangeError(`unknown comparison format ${String(never)}`);
    }
  }
}
