import { frozenMemo } from '../analysis/frozen-memo.js';
import { LABEL_COLOURS } from './chart-style.js';
import { chartSvgPieces } from './chart-svg.js';
import { escapeXml as esc } from './escape.js';
import { duration, fixed2, kappaText, PARAMETER_NOTES, parameterRows, percent, provenance, signed, sourceText } from './format.js';
import { lineWriter, NEWLINE, pageBytes, utf8, type Piece } from './page-bytes.js';
import type { ReportEvent, ReportModel } from './report-model.js';

/** A table up to its first row; rows as `<tr>…</tr>` and TABLE_CLOSE follow. */
const tableOpen = (head: readonly string[], cls = ''): string =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>`;
const TABLE_CLOSE = '</tbody></table>';
const tableOf = (head: readonly string[], body: string, cls = ''): string => `${tableOpen(head, cls)}${body}${TABLE_CLOSE}`;

const table = (head: readonly string[], rows: ReadonlyArray<readonly string[]>, cls = ''): string => {
  let body = '';
  for (const r of rows) {
    body += '<tr>';
    for (const c of r) body += `<td>${c}</td>`;
    body += '</tr>';
  }
  return tableOf(head, body, cls);
};

const code = (s: string): string => `<code>${esc(s)}</code>`;

// A row depends on its event alone; report events are frozen when they come from frozen
// timeline documents (see report-model.ts), and the next report reuses their rows.
const timelineRow = frozenMemo(
  (e: ReportEvent): Uint8Array =>
    utf8(`<tr><td>${esc(e.occurred)}</td><td>${esc(e.kind)}</td><td>${esc(e.title)}${e.claimsResponsiveness ? ' <em>(claims responsiveness)</em>' : ''}` +
    `</td><td>${esc(e.mode)}</td><td>${e.orientation > 0 ? `+${e.orientation}` : String(e.orientation)}</td><td>${esc(e.qualifier ?? '')}` +
    `</td><td>${esc(e.confidence)}</td><td>${code(e.id)}</td></tr>`),
);

// The page must open from a disk, an archive or an e-mail attachment years from now: no
// scripts, fonts, images or styles from anywhere else, which the CSP also enforces.
const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1000px;color:#222;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.9rem}.pattern{font-size:1.1rem;font-weight:bold}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
td.num{text-align:right}.holds{color:#1a7f37;font-weight:bold}.fails{color:#9a6700;font-weight:bold}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:middle}
figure{margin:1rem 0}svg{max-width:100%;height:auto}
`;

/** One self-contained HTML page: chart, pattern, phases, checks, researcher phases, timeline, method. */
export function renderReportHtml(model: ReportModel): string {
  return renderReportHtmlBytes(model).toString('utf8');
}

/** renderReportHtml as the UTF-8 bytes that are sent or written (see page-bytes.ts). */
export function renderReportHtmlBytes(model: ReportModel): Buffer {
  const { firm } = model;
  const out: Piece[] = [];
  const parts = lineWriter(out);
  parts.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`Phase-pattern report: ${firm.name}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${esc(firm.name)} <small>(${esc(firm.id)})</small></h1>`,
    `<p class="meta">Study ${esc(firm.study)} · ${provenance(model).map(esc).join(' · ')} · method ${esc(model.method.name)} ${esc(model.method.version)}</p>`,
    `<p class="pattern">${model.pattern === '' ? 'No events: no pattern.' : esc(model.pattern)}</p>`,
  );
  out.push(NEWLINE, '<figure>');
  for (const piece of chartSvgPieces(model, { standalone: false })) out.push(piece); // no spread: 40,000+ pieces
  out.push(
    '<figcaption class="meta">Solid: declared orientation (interactive events). Dashed: enacted orientation (procedural events). Shaded area: goal ambiguity, dashed line its threshold. Bands: detected phases. Hover a marker for the event; hollow squares are resisted routine changes.</figcaption></figure>',
  );

  parts.push('<h2>Phases</h2>');
  parts.push(
    model.phases.length === 0
      ? '<p>No phases detected.</p>'
      : table(
          ['#', 'From', 'To', 'Duration', 'Label', 'Declared', 'Enacted', 'Ambiguity', 'Dominant mode', 'Events', 'Boundary events'],
          model.phases.map((p, i) => [
            String(i + 1),
            esc(p.from),
            esc(p.to),
            esc(duration(p.months)),
            `<span class="swatch" style="background:${LABEL_COLOURS[p.label]}"></span>${esc(p.label)}`,
            signed(p.declared),
            signed(p.enacted),
            fixed2(p.ambiguity),
            esc(p.dominantMode),
            String(p.eventCount),
            p.boundaryMarkers.map((m) => `${code(m.id)} ${esc(m.reason)} (${esc(m.period)})`).join('<br>') || '—',
          ]),
        ),
  );

  parts.push('<h2>Mechanism checks</h2>');
  parts.push(
    table(
      ['Check', 'Result', 'Detail', 'Evidence'],
      model.checks.map((c) => [
        `${code(c.id)}<br>${esc(c.title)}`,
        c.holds ? '<span class="holds">holds</span>' : '<span class="fails">does not hold</span>',
        esc(c.detail),
        c.evidence.map(code).join(' ') || '—',
      ]),
    ),
  );

  const rp = model.researcherPhases;
  parts.push('<h2>Researcher phases</h2>');
  parts.push(
    rp.phases.length === 0
      ? '<p>No phases declared by the researcher.</p>'
      : table(
          ['From', 'To', 'Researcher label', 'As', 'Detected (most periods)', 'Agreement'],
          rp.phases.map((p) => [esc(p.from), esc(p.to), esc(p.label), esc(p.normalisedLabel ?? '—'), esc(p.detectedLabel ?? '—'), percent(p.agreement)]),
        ) +
          `<p>Over ${rp.comparedPeriods} comparable periods: agreement ${percent(rp.labelAgreement)}, Cohen's κ ${kappaText(rp.kappa)}.</p>`,
  );

  parts.push('<h2>Timeline</h2>');
  if (model.events.length === 0) parts.push('<p>No events.</p>');
  else {
    // One row per event (10,000 and more), each straight into the page.
    parts.push(tableOpen(['Occurred', 'Kind', 'Title', 'Mode', 'Orientation', 'Detail', 'Confidence', 'Id']));
    for (const e of model.events) out.push(timelineRow(e));
    out.push(TABLE_CLOSE);
  }

  parts.push('<h2>Evidence behind the phase boundaries</h2>');
  parts.push(
    model.boundaryEvidence.length === 0
      ? '<p>No phase boundaries.</p>'
      : table(
          ['Phase', 'Occurred', 'Boundary event', 'Confidence', 'Sources'],
          model.boundaryEvidence.map((b) => [String(b.phase), esc(b.occurred), `${esc(b.title)}<br>${code(b.eventId)}`, esc(b.confidence), esc(b.sources.map(sourceText).join('; ') || 'none recorded')]),
        ),
  );

  parts.push('<h2>Method</h2>');
  parts.push(
    `<p>${esc(model.method.name)} ${esc(model.method.version)}. Declared orientation moves only with interactive events, enacted only with procedural ones (a resisted routine change holds it); each steps part of the way towards the event's orientation (−2..+2 → −1..+1) and is carried forward. Ambiguity is raised by demand shifts, irregular or declining profitability and conflicting decisions, and decays by a half-life. Each period is labelled (ambiguity, then decoupled, then customization / cost / mixed), the labels are smoothed and merged into phases.</p>`,
    table(
      ['Parameter', 'Value', 'Meaning'],
      parameterRows(model.method.parameters).map(([k, v]) => [code(k), esc(v), esc(PARAMETER_NOTES[k] ?? '')]),
    ),
    '</body></html>',
  );
  return pageBytes(out);
}
