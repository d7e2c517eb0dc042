import { describe, expect, it } from '@jest/globals';
import { compareFirms } from '../../src/analysis/compare.js';
import type { PhaseSequence } from '../../src/analysis/compare.js';
import type { PhaseLabel } from '../../src/domain/vocabulary.js';
import { renderCompare } from '../../src/reports/compare-report.js';
import { renderSts } from '../../src/reports/sts.js';

const L: Record<string, PhaseLabel> = { C: 'customization', K: 'cost', A: 'ambiguity', D: 'decoupled', M: 'mixed' };
const seq = (firm: string, labels: string): PhaseSequence => {
  const ls = [...labels].map((c) => L[c]!);
  return { firm, start: '2000-01', labels: ls, pattern: ls.filter((l, i) => i === 0 || l !== ls[i - 1]).join(' > ') };
};

describe('cross-case report', () => {
  const sequences = [seq('ravn', 'CCCAAKKK'), seq('<b>firm</b>', 'CCCCAKKK'), seq('ulv', 'KKKKMMMM')];
  const input = { study: 'nordic & co', generatedAt: '2024-06-11T12:00:00.000Z', comparison: compareFirms(sequences), sequences };

  it('renders JSON with the method, firms, patterns, clusters and the full matrix', () => {
    const json = JSON.parse(renderCompare(input, 'json'));
    expect(json.method).toEqual({ name: 'optimal-matching', substitution: 2, indel: 1, linkage: 'average', cutHeight: 8, clusters: null });
    expect(json.patterns[0]).toEqual(expect.objectContaining({ pattern: 'customization > ambiguity > cost', count: 2 }));
    expect(json.distances).toHaveLength(3);
    expect(json.clusters.map((c: { firms: string[] }) => c.firms)).toEqual([['<b>firm</b>', 'ravn'], ['ulv']]);
  });

  it('renders Markdown with pattern and cluster tables and the distance matrix', () => {
    const md = renderCompare(input, 'md');
    expect(md).toContain('| customization > ambiguity > cost | 2 | 67% |');
    expect(md).toContain('## Distances');
    expect(md).toContain('substitution 2, indel 1');
  });

  it('renders one self-contained, escaped HTML page with a sequence index plot', () => {
    const html = renderCompare(input, 'html');
    expect(html).not.toMatch(/https?:\/\/|<script|<link|\ssrc=/i);
    expect(html).toContain('&lt;b&gt;firm&lt;/b&gt;');
    expect(html).not.toContain('<b>firm</b>');
    expect(html).toContain('nordic &amp; co');
    // Three rows of runs: ravn has 3 runs, <b>firm</b> 3, ulv 2.
    expect(html.match(/<rect x="\d+\.\d" y="\d+" width/g)).toHaveLength(8);
  });
});

describe('STS export for TraMineR', () => {
  const rows = [
    { firm: 'ulv', tracks: [{ period: '2000-03', label: 'cost' }, { period: '2000-04', label: 'mixed' }] },
    { firm: 'ravn', tracks: [{ period: '2000-01', label: 'customization' }, { period: '2000-02', label: 'ambiguity' }] },
  ];

  it('writes one row per firm and one column per calendar period, NA where a firm has no state', () => {
    expect(renderSts(rows)).toBe(
      ['id,2000-01,2000-02,2000-03,2000-04', 'ravn,customization,ambiguity,NA,NA', 'ulv,NA,NA,cost,mixed', ''].join('\n'),
    );
  });

  it('aligns on each firm’s start when asked', () => {
    expect(renderSts(rows, { align: 'start', missing: '' })).toBe(['id,1,2', 'ravn,customization,ambiguity', 'ulv,cost,mixed', ''].join('\n'));
  });

  it('fills gaps between periods, works for quarters, and refuses mixed granularities', () => {
    expect(renderSts([{ firm: 'a', tracks: [{ period: '2000-Q4', label: 'cost' }, { period: '2001-Q2', label: 'cost' }] }])).toBe(
      'id,2000-Q4,2001-Q1,2001-Q2\na,cost,NA,cost\n',
    );
    expect(() => renderSts([{ firm: 'a', tracks: [{ period: '2000-Q4', label: 'cost' }, { period: '2001-01', label: 'cost' }] }])).toThrow(RangeError);
  });

  it('quotes fields that need it', () => {
    expect(renderSts([{ firm: 'a,b', tracks: [{ period: '2000', label: 'say "cost"' }] }])).toBe('id,2000\n"a,b","say ""cost"""\n');
  });
});
