import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { sharedAnalyses } from '../../analysis/analysis-memo.js';
import type { AnalysisParameters } from '../../analysis/parameters.js';
import { InvalidInputError } from '../../domain/errors.js';
import { READ_MODEL_STORE, type ReadModelStore } from '../../projections/read-model-store.port.js';
import { buildReportModel } from '../../reports/report-model.js';
import { renderReportHtmlBytes } from '../../reports/render-html.js';
import { renderFigureSvg, renderReport } from '../../reports/render.js';
import { RenderedReport } from './rendered-report.js';
import { ReportCache } from './report-cache.js';
import { GetCodebookQuery } from './research.queries.js';
import { GetTimelineQuery } from './timeline.query.js';

export const REPORT_FORMATS = ['md', 'json', 'html', 'svg'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
};

export { RenderedReport };

/** The phase-pattern report of one firm; `svg` is the standalone figure for a paper. */
export class GetReportQuery extends Query<RenderedReport> {
  constructor(
    readonly firm: string,
    readonly format: string = 'md',
    readonly asOf?: string,
    readonly parameters: Partial<AnalysisParameters> = {},
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(GetReportQuery)
export class GetReportHandler implements IQueryHandler<GetReportQuery> {
  private readonly cache = new ReportCache<RenderedReport>();

  constructor(
    private readonly queries: QueryBus,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  async execute(q: GetReportQuery): Promise<RenderedReport> {
    if (!(REPORT_FORMATS as readonly string[]).includes(q.format)) {
      throw InvalidInputError.field('format', `must be one of ${REPORT_FORMATS.join(', ')} (got "${q.format}")`);
    }
    const format = q.format as ReportFormat;
    // A known-at report replays the event log itself, which may hold events no projection has
    // applied yet (so no checkpoint says it changed): those are always computed afresh.
    if (q.knownAt) return this.compute(q, format);
    const key = JSON.stringify([q.firm, format, q.asOf ?? null, q.parameters]);
    const basis = ReportCache.basisOf(await this.readModels.checkpoints());
    const hit = this.cache.get(key, basis);
    if (hit) return hit;
    const report = await this.compute(q, format);
    this.cache.set(key, basis, report);
    return report;
  }

  private async compute(q: GetReportQuery, format: ReportFormat): Promise<RenderedReport> {
    const timeline = await this.queries.execute(new GetTimelineQuery(q.firm, q.asOf, q.knownAt));
    const codebook = await this.queries.execute(new GetCodebookQuery(timeline.firm.study, timeline.knownAt));
    // Right after a command the analysis projection has usually analysed this very timeline.
    const { sorted, analysis } = sharedAnalyses.analyse(timeline.entries, timeline.declaredPhases, q.parameters);
    const model = buildReportModel({
      firm: { id: timeline.firm.id, name: timeline.firm.name, study: timeline.firm.study },
      entries: timeline.entries,
      sorted,
      declared: timeline.declaredPhases,
      analysis,
      // Not the wall clock: the report states the log it rests on, so the same log (say, an
      // archive imported elsewhere) renders the same bytes.
      generatedAt: timeline.basisRecordedAt,
      ...(timeline.asOf ? { asOf: timeline.asOf } : {}),
      ...(timeline.knownAt ? { knownAt: timeline.knownAt } : {}),
      codebook: { study: codebook.study, version: codebook.version, publishedAt: codebook.publishedAt },
    });
    const content = format === 'svg' ? renderFigureSvg(model) : format === 'html' ? renderReportHtmlBytes(model) : renderReport(model, format);
    return new RenderedReport(format, CONTENT_TYPES[format], content);
  }
}
