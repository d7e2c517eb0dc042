import { describe, expect, it } from '@jest/globals';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { renderFigureSvg, renderReport } from '../../src/reports/render.js';
import { renderReportHtml } from '../../src/reports/render-html.js';
import { renderReportJson } from '../../src/reports/render-json.js';
import { renderReportMarkdown } from '../../src/reports/render-markdown.js';
import { PARAMETER_NOTES, parameterRows } from '../../src/reports/format.js';
import { DEFAULT_PARAMETERS } from '../../src/analysis/parameters.js';
import { declaredPhase, entry } from '../analysis/entries.js';
import { SEAT_FRAMES, SEAT_FRAMES_UNTIL } from '../analysis/seat-frames.js';

const HOSTILE = '<script>alert("x")</script> & \'quotes\'';

function modelFor(entries: readonly TimelineEntry[], name = 'Nordic Seat Frames') {
  const declared = [declaredPhase('2000', '2000-12', 'Founder customization', 1), declaredPhase('2002-06', '2002-12', HOSTILE, 2)];
  return buildReportModel({
    firm: { id: 'seat-frames', name, study: 'nordic' },
    entries,
    declared,
    analysis: analyseFirm(entries, declared, { until: SEAT_FRAMES_UNTIL }),
    generatedAt: '2024-06-11T12:00:00.000Z',
  });
}

const withHostileTitle = [
  ...SEAT_FRAMES,
  entry({ kind: 'strategy-decision', occurred: '2001-06', orientation: -1, title: HOSTILE, id: 'hostile' }),
];

describe('JSON report (FORMAT.md contract)', () => {
  const json = JSON.parse(renderReportJson(modelFor(SEAT_FRAMES))) as Record<string, any>;

  it('has the contract fields with the contract names', () => {
    expect(json.firm).toBe('seat-frames');
    expect(json.method).toEqual(expect.objectContaining({ name: expect.any(String), parameters: expect.any(Object) }));
    expect(json.pattern).toBe('customization > decoupled > ambiguity > cost');
    for (const t of json.tracks) expect(Object.keys(t)).toEqual(expect.arrayContaining(['period', 'declared', 'enacted', 'ambiguity']));
    for (const p of json.phases) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['from', 'to', 'label', 'declared', 'enacted', 'ambiguity', 'dominantMode', 'boundaryEvents']),
      );
    }
    for (const c of json.checks) {
      expect(typeof c.id).toBe('string');
      expect(typeof c.holds).toBe('boolean');
      expect(Array.isArray(c.evidence)).toBe(true);
    }
  });

  it('keeps values in the contract ranges and periods as YYYY-MM', () => {
    for (const t of json.tracks) {
      expect(t.period).toMatch(/^\d{4}-\d{2}$/);
      expect(Math.abs(t.declared)).toBeLessThanOrEqual(1);
      expect(Math.abs(t.enacted)).toBeLessThanOrEqual(1);
      expect(t.ambiguity).toBeGreaterThanOrEqual(0);
      expect(t.ambiguity).toBeLessThanOrEqual(1);
    }
    for (const p of json.phases) {
      expect(p.from).toMatch(/^\d{4}-\d{2}$/);
      expect(p.to).toMatch(/^\d{4}-\d{2}$/);
      expect(['customization', 'cost', 'mixed', 'decoupled', 'ambiguity']).toContain(p.label);
    }
    expect(json.tracks).toHaveLength(36);
  });

  it('lists every parameter the analysis used', () => {
    expect(json.method.parameters.declaredStepWeight).toBe(0.5);
    expect(json.method.parameters.until).toBe('2002-12');
  });

  it('cites boundary and evidence ids that are events of this firm', () => {
    const ids = new Set(SEAT_FRAMES.map((e) => e.id));
    for (const p of json.phases) for (const id of p.boundaryEvents) expect(ids.has(id)).toBe(true);
    for (const c of json.checks) for (const id of c.evidence) expect(ids.has(id)).toBe(true);
    expect(json.checks.find((c: any) => c.id === 'ownership-then-cost').holds).toBe(true);
  });

  it('rounds to three decimals (declared 0.75, enacted 0.5 in 2000-03; ambiguity 1 − 0.65² → 0.577)', () => {
    const march = json.tracks.find((t: any) => t.period === '2000-03');
    expect(march).toEqual(expect.objectContaining({ declared: 0.75, enacted: 0.5, ambiguity: 0 }));
    // 1 − 0.65² is 0.57749999… in binary floating point, so it rounds down.
    expect(json.tracks.find((t: any) => t.period === '2002-01').ambiguity).toBe(0.577);
  });
});

describe('HTML report', () => {
  const html = renderReportHtml(modelFor(withHostileTitle, `Firm ${HOSTILE}`));

  it('is one self-contained page: no external URL, script, stylesheet link or remote image', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('escapes user text in titles, firm name and researcher labels', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).not.toContain('<script>alert');
  });

  it('draws both tracks, ambiguity, phase bands, event markers with tooltips, legend and axis labels', () => {
    expect(html).toContain('<svg');
    expect(html).toMatch(/<path class="declared" d="M/);
    expect(html).toMatch(/<path class="enacted" d="M/);
    expect(html).toMatch(/<path class="ambiguity" d="M/);
    // One band pair per phase, one marker tooltip per event.
    expect(html.match(/fill-opacity="0.16"/g)).toHaveLength(2 * 4);
    expect(html).toContain('<title>2001-01 · ownership-change (Holding group): ownership-change 2001-01 — context, orientation 0 [owner-sale]</title>');
    for (const text of ['declared orientation', 'enacted orientation', 'goal ambiguity', 'phase: decoupled', 'orientation (− cost · customization +)', 'period (month)']) {
      expect(html).toContain(text);
    }
  });

  it('carries the tables: phases with durations, checks, researcher phases, timeline, method', () => {
    expect(html).toContain('<td>1 y 1 mo</td>');
    expect(html).toContain('<td>11 mo</td>');
    expect(html).toContain('ownership-then-cost');
    expect(html).toContain('Founder customization');
    for (const [name] of parameterRows(modelFor(SEAT_FRAMES).method.parameters)) expect(html).toContain(`<code>${name}</code>`);
  });
});

describe('Markdown report', () => {
  const md = renderReportMarkdown(modelFor(withHostileTitle));

  it('has the pattern, a phase table with durations and dominant mode, and checks with evidence', () => {
    expect(md).toContain('**customization > decoupled > ambiguity > cost**');
    expect(md).toMatch(/\| 1 \| 2000-01 \| 2001-01 \| 1 y 1 mo \| customization \| \+0\.71 \| \+0\.50 \| 0\.00 \| interactive \|/);
    expect(md).toMatch(/\*\*holds\*\* — `ownership-then-cost`/);
    expect(md).toContain('`owner-sale`');
  });

  it('lists every parameter in the method section', () => {
    for (const [name, value] of parameterRows(modelFor(SEAT_FRAMES).method.parameters)) {
      expect(md).toContain(`| ${name} | ${value} |`);
    }
  });

  it('keeps hostile text from breaking tables or injecting HTML', () => {
    const row = md.split('\n').find((l) => l.includes('hostile'))!;
    expect(row).toContain('&lt;script>');
    // The pipe count of the timeline row stays that of its header.
    const header = md.split('\n').find((l) => l.startsWith('| Occurred'))!;
    const pipes = (s: string) => s.replace(/\\\|/g, '').split('|').length;
    expect(pipes(row)).toBe(pipes(header));
  });
});

describe('standalone figure and dispatcher', () => {
  const model = modelFor(withHostileTitle);

  it('is a standalone SVG document with escaped text', () => {
    const svg = renderFigureSvg(model);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toContain('<script');
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    expect((svg.match(/<g[ >]/g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
  });

  it('renders the same bytes for the same model, in every format', () => {
    for (const f of ['md', 'json', 'html'] as const) expect(renderReport(model, f)).toBe(renderReport(modelFor(withHostileTitle), f));
    expect(renderReport(model, 'json')).toBe(renderReportJson(model));
  });

  it('names a phase band only where its name fits inside it', () => {
    // The same firm with its last phase cut to its final period: a band a few pixels wide.
    const last = model.phases[model.phases.length - 1]!;
    const narrow = { ...last, fromPeriod: last.toPeriod };
    const svg = renderFigureSvg({ ...model, phases: [...model.phases.slice(0, -1), narrow] });
    const bandNames = [...svg.matchAll(/<text [^>]*font-size="10">([a-z]+)<\/text>/g)].map((m) => m[1]);
    expect(bandNames).toEqual(model.phases.slice(0, -1).map((p) => p.label));
    expect(svg).toContain(`<title>${last.label}: `); // its tooltip is still there
    const full = [...renderFigureSvg(model).matchAll(/<text [^>]*font-size="10">([a-z]+)<\/text>/g)].map((m) => m[1]);
    expect(full).toEqual(model.phases.map((p) => p.label));
  });

  it('renders a firm with no events without failing', () => {
    const empty = modelFor([]);
    expect(JSON.parse(renderReport(empty, 'json'))).toEqual(expect.objectContaining({ tracks: [], phases: [], pattern: '' }));
    expect(renderReport(empty, 'html')).toContain('No events: nothing to chart.');
    expect(renderReport(empty, 'md')).toContain('_No events: no pattern._');
  });
});

describe('method section', () => {
  it('has a meaning for every parameter, so none is printed unexplained', () => {
    const missing = parameterRows(DEFAULT_PARAMETERS).filter(([name]) => !PARAMETER_NOTES[name]).map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
