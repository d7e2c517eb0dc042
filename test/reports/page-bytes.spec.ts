import { describe, expect, it } from '@jest/globals';
import { analyseFirm } from '../../src/analysis/analyse-firm.js';
import { RenderedReport } from '../../src/application/queries/rendered-report.js';
import { lineWriter, pageBytes, utf8, type Piece } from '../../src/reports/page-bytes.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { renderReportHtml, renderReportHtmlBytes } from '../../src/reports/render-html.js';
import { renderFigureSvg } from '../../src/reports/render.js';
import { entry } from '../analysis/entries.js';
import { SEAT_FRAMES } from '../analysis/seat-frames.js';

describe('page bytes', () => {
  it('given strings and byte pieces with multi-byte characters, when joined, then the bytes decode to the same text as a string join', () => {
    const pieces: Piece[] = ['Ravn Møbler · ', utf8('κ = 0.4 — ok'), '', utf8(''), ' → done'];
    const bytes = pageBytes(pieces);
    expect(bytes.toString('utf8')).toBe('Ravn Møbler · κ = 0.4 — ok → done');
    expect(bytes.length).toBe(Buffer.byteLength('Ravn Møbler · κ = 0.4 — ok → done'));
  });

  it('given lines, when written, then a newline separates them and none leads or trails', () => {
    const pieces: Piece[] = [];
    lineWriter(pieces).push('a', 'b');
    lineWriter(pieces).push('c');
    expect(pageBytes(pieces).toString('utf8')).toBe('a\nb\nc');
  });
});

describe('HTML report as bytes', () => {
  // Frozen entries, as the read models hand them out: rows and tooltips are then kept as bytes
  // with the entries and reused by the next report.
  const entries = [
    ...SEAT_FRAMES,
    entry({ kind: 'strategy-decision', occurred: '2001-06', orientation: -1, title: 'Ravn Møbler’s “cost” turn <b>', id: 'unicode' }),
  ].map((e) => Object.freeze({ ...e }));
  const model = () =>
    buildReportModel({
      firm: { id: 'ravn', name: 'Ravn Møbler', study: 'nordic' },
      entries,
      declared: [],
      analysis: analyseFirm(entries),
      generatedAt: '2024-06-11T12:00:00.000Z',
    });

  it('given a firm with non-ASCII titles, when rendered twice to bytes, then both are the UTF-8 of the same page with the title escaped once', () => {
    const first = renderReportHtmlBytes(model());
    const second = renderReportHtmlBytes(model());
    expect(second.equals(first)).toBe(true);
    const page = first.toString('utf8');
    expect(page).toBe(renderReportHtml(model()));
    expect(page).toContain('<td>Ravn Møbler’s “cost” turn &lt;b&gt;</td>');
    const timeline = page.slice(page.indexOf('<h2>Timeline</h2>'), page.indexOf('<h2>Evidence'));
    expect(timeline.match(/<tr><td>/g)?.length).toBe(entries.length);
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page.endsWith('</body></html>')).toBe(true);
  });

  it('given a non-ASCII title, when the chart is drawn inside the page, then its marker has the escaped tooltip on a line of its own', () => {
    const page = renderReportHtml(model());
    const tooltip = '\n<g><title>2001-06 · strategy-decision: Ravn Møbler’s “cost” turn &lt;b&gt; — interactive, orientation -1 [unicode]</title><circle ';
    expect(page.split(tooltip).length).toBe(2);
    expect(renderFigureSvg(model())).toContain(tooltip);
  });
});

describe('RenderedReport', () => {
  it('given text, when bytes are asked for, then they are its UTF-8, and given bytes, the text is their decoding', () => {
    const fromText = new RenderedReport('md', 'text/markdown; charset=utf-8', '# Ravn Møbler');
    expect(fromText.bytes.equals(Buffer.from('# Ravn Møbler', 'utf8'))).toBe(true);
    expect(fromText.body).toBe('# Ravn Møbler');
    const fromBytes = new RenderedReport('html', 'text/html; charset=utf-8', Buffer.from('<p>κ</p>', 'utf8'));
    expect(fromBytes.body).toBe('<p>κ</p>');
    expect(fromBytes.size).toBe(Buffer.byteLength('<p>κ</p>'));
  });
});
