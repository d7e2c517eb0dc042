import { escapeMarkdownCell as cell, escapeMarkdownText as text } from './escape.js';
import { duration, fixed2, kappaText, PARAMETER_NOTES, parameterRows, percent, provenance, signed, sourceText } from './format.js';
import type { ReportModel } from './report-model.js';

const table = (head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

/** The report as Markdown, for a lab notebook or a co-author's review. */
export function renderReportMarkdown(model: ReportModel): string {
  const out: string[] = [];
  const { firm } = model;
  out.push(`# Phase-pattern report: ${text(firm.name)} (${text(firm.id)})`, '');
  out.push(`Study: ${text(firm.study)} · ${provenance(model).map(text).join(' · ')} · Method: ${text(model.method.name)} ${text(model.method.version)}`, '');

  out.push('## Pattern', '');
  out.push(model.pattern === '' ? '_No events: no pattern._' : `**${text(model.pattern)}**`, '');

  out.push('## Phases', '');
  if (model.phases.length === 0) out.push('_No phases detected._', '');
  else {
    out.push(
      ...table(
        ['#', 'From', 'To', 'Duration', 'Label', 'Declared', 'Enacted', 'Ambiguity', 'Dominant mode', 'Events', 'Boundary events'],
        model.phases.map((p, i) => [
          String(i + 1),
          p.from,
          p.to,
          duration(p.months),
          p.label,
          signed(p.declared),
          signed(p.enacted),
          fixed2(p.ambiguity),
          p.dominantMode,
          String(p.eventCount),
          p.boundaryMarkers.map((m) => `${cell(m.id)} (${m.reason}, ${m.period})`).join('; ') || '—',
        ]),
      ),
      '',
    );
  }

  out.push('## Mechanism checks', '');
  for (const c of model.checks) {
    out.push(`- **${c.holds ? 'holds' : 'does not hold'}** — \`${c.id}\`: ${text(c.title)}. ${text(c.detail)}`);
    out.push(`  Evidence: ${c.evidence.length === 0 ? '—' : c.evidence.map((id) => `\`${id.replace(/`/g, "'")}\``).join(', ')}`);
  }
  out.push('');

  const rp = model.researcherPhases;
  out.push('## Researcher phases', '');
  if (rp.phases.length === 0) out.push('_No phases declared by the researcher._', '');
  else {
    out.push(
      ...table(
        ['From', 'To', 'Researcher label', 'As', 'Detected (most periods)', 'Agreement'],
        rp.phases.map((p) => [cell(p.from), cell(p.to), cell(p.label), p.normalisedLabel ?? '—', p.detectedLabel ?? '—', percent(p.agreement)]),
      ),
      '',
      `Over ${rp.comparedPeriods} comparable periods: agreement ${percent(rp.labelAgreement)}, Cohen's κ ${kappaText(rp.kappa)}.`,
      '',
    );
  }

  out.push('## Timeline', '');
  if (model.events.length === 0) out.push('_No events._', '');
  else {
    out.push(
      ...table(
        ['Occurred', 'Period', 'Kind', 'Title', 'Mode', 'Orientation', 'Detail', 'Confidence', 'Id'],
        model.events.map((e) => [
          cell(e.occurred),
          e.period,
          e.kind,
          cell(e.title) + (e.claimsResponsiveness ? ' _(claims responsiveness)_' : ''),
          e.mode,
          e.orientation > 0 ? `+${e.orientation}` : String(e.orientation),
          cell(e.qualifier ?? ''),
          e.confidence,
          cell(e.id),
        ]),
      ),
      '',
    );
  }

  out.push('## Tracks', '');
  out.push(
    ...table(
      ['Period', 'Declared', 'Enacted', 'Ambiguity', 'Label'],
      model.tracks.map((t) => [t.period, signed(t.declared), signed(t.enacted), fixed2(t.ambiguity), t.label]),
    ),
    '',
  );

  out.push('## Evidence behind the phase boundaries', '');
  if (model.boundaryEvidence.length === 0) out.push('No phase boundaries.', '');
  else {
    out.push(
      ...table(
        ['Phase', 'Occurred', 'Boundary event', 'Confidence', 'Sources'],
        model.boundaryEvidence.map((b) => [String(b.phase), cell(b.occurred), `${cell(b.title)} (${cell(b.eventId)})`, b.confidence, cell(b.sources.map(sourceText).join('; ')) || 'none recorded']),
      ),
      '',
    );
  }
  out.push('## Method', '');
  out.push(
    `${text(model.method.name)} ${text(model.method.version)}. Declared orientation moves only with interactive events, enacted only with procedural ones (a resisted routine change holds it); each steps part of the way towards the event's orientation (−2..+2 → −1..+1) and is carried forward. Ambiguity is raised by demand shifts, irregular or declining profitability and conflicting decisions, and decays by a half-life. Each period is labelled (ambiguity, then decoupled, then customization / cost / mixed), the labels are smoothed and merged into phases.`,
    '',
  );
  out.push(
    ...table(
      ['Parameter', 'Value', 'Meaning'],
      parameterRows(model.method.parameters).map(([k, v]) => [k, cell(v), PARAMETER_NOTES[k] ?? '']),
    ),
    '',
  );
  return out.join('\n');
}
