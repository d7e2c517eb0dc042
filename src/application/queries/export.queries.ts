import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { analyseFirm } from '../../analysis/analyse-firm.js';
import { compareFirms, sequenceOf } from '../../analysis/compare.js';
import type { AnalysisParameters } from '../../analysis/parameters.js';
import { InvalidInputError } from '../../domain/errors.js';
import { COMPARE_FORMATS, renderCompare } from '../../reports/compare-report.js';
import { renderSts } from '../../reports/sts.js';
import { eventLine, phaseLine, toEventCsv, toJsonLines } from '../interchange/event-export.js';
import { ListFirmsQuery } from './catalog.queries.js';
import { RenderedReport } from './rendered-report.js';
import { CONTENT_TYPES } from './report.query.js';
import { GetTimelineQuery, type FirmTimeline } from './timeline.query.js';

async function timelines(queries: QueryBus, firm?: string, study?: string, knownAt?: string): Promise<FirmTimeline[]> {
  const firms = firm ? [firm] : (await queries.execute(new ListFirmsQuery(study))).map((f) => f.id);
  return Promise.all(firms.map((f) => queries.execute(new GetTimelineQuery(f, undefined, knownAt))));
}

/** Events (current coding) and researcher phases as FORMAT.md JSON Lines or CSV. */
export class ExportEventsQuery extends Query<{ body: string; lines: number }> {
  constructor(
    readonly format: string,
    readonly firm?: string,
    readonly study?: string,
  ) {
    super();
  }
}

/** Each firm's phase sequence in TraMineR's STS shape (one row per firm, one column per period). */
export class ExportSequencesQuery extends Query<{ body: string; firms: number }> {
  constructor(
    readonly study?: string,
    readonly parameters: Partial<AnalysisParameters> = {},
    readonly align: 'calendar' | 'start' = 'calendar',
  ) {
    super();
  }
}

/** Cross-case comparison: patterns, their frequencies, optimal-matching distances, clusters. */
export class CompareQuery extends Query<RenderedReport> {
  constructor(
    readonly format: string,
    readonly study?: string,
    readonly parameters: Partial<AnalysisParameters> = {},
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(ExportEventsQuery)
export class ExportEventsHandler implements IQueryHandler<ExportEventsQuery> {
  constructor(private readonly queries: QueryBus) {}
  async execute(q: ExportEventsQuery) {
    if (q.format !== 'jsonl' && q.format !== 'csv') throw InvalidInputError.field('format', `must be jsonl or csv (got "${q.format}")`);
    const records = (await timelines(this.queries, q.firm, q.study)).flatMap((t) => [...t.entries.map(eventLine), ...t.declaredPhases.map(phaseLine)]);
    return { body: q.format === 'csv' ? toEventCsv(records) : toJsonLines(records), lines: records.length };
  }
}

@QueryHandler(ExportSequencesQuery)
export class ExportSequencesHandler implements IQueryHandler<ExportSequencesQuery> {
  constructor(private readonly queries: QueryBus) {}
  async execute(q: ExportSequencesQuery) {
    const rows = (await timelines(this.queries, undefined, q.study)).map((t) => ({
      firm: t.firm.id,
      tracks: analyseFirm(t.entries, t.declaredPhases, q.parameters).tracks,
    }));
    return { body: renderSts(rows, { align: q.align }), firms: rows.length };
  }
}

@QueryHandler(CompareQuery)
export class CompareHandler implements IQueryHandler<CompareQuery> {
  constructor(private readonly queries: QueryBus) {}
  async execute(q: CompareQuery): Promise<RenderedReport> {
    if (!(COMPARE_FORMATS as readonly string[]).includes(q.format)) {
      throw InvalidInputError.field('format', `must be one of ${COMPARE_FORMATS.join(', ')} (got "${q.format}")`);
    }
    const all = await timelines(this.queries, undefined, q.study, q.knownAt);
    const sequences = all.map((t) => sequenceOf(t.firm.id, analyseFirm(t.entries, t.declaredPhases, q.parameters)));
    const latest = all.map((t) => t.basisRecordedAt).reduce((a, b) => (a > b ? a : b), '');
    const format = q.format as (typeof COMPARE_FORMATS)[number];
    const body = renderCompare({ study: q.study ?? null, generatedAt: latest, comparison: compareFirms(sequences), sequences }, format);
    return new RenderedReport(format, CONTENT_TYPES[format], body);
  }
}
