import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { analyseFirm } from '../../analysis/analyse-firm.js';
import type { AnalysisParameters } from '../../analysis/parameters.js';
import { InvalidInputError } from '../../domain/errors.js';
import { buildReportModel } from '../../reports/report-model.js';
import { renderFigureSvg, renderReport } from '../../reports/render.js';
import { GetCodebookQuery } from './research.queries.js';
import { GetTimelineQuery } from './timeline.query.js';

export const REPORT_FORMATS = ['md', 'json', 'html', 'svg'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
};

export interface RenderedReport {
  readonly format: ReportFormat;
  readonly contentType: string;
  readonly body: string;
}

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
  constructor(private readonly queries: QueryBus) {}

  async execute(q: GetReportQuery): Promise<RenderedReport> {
    if (!(REPORT_FORMATS as readonly string[]).includes(q.format)) {
      throw InvalidInputError.field('format', `must be one of ${REPORT_FORMATS.join(', ')} (got "${q.format}")`);
    }
    const format = q.format as ReportFormat;
    const timeline = await this.queries.execute(new GetTimelineQuery(q.firm, q.asOf, q.knownAt));
    const codebook = await this.queries.execute(new GetCodebookQuery(timeline.firm.study, timeline.knownAt));
    const analysis = analyseFirm(timeline.entries, timeline.declaredPhases, q.parameters);
    const model = buildReportModel({
      firm: { id: timeline.firm.id, name: timeline.firm.name, study: timeline.firm.study },
      entries: timeline.entries,
      declared: timeline.declaredPhases,
      analysis,
      // Not the wall clock: the report states the log it rests on, so the same log (say, an
      // archive imported elsewhere) renders the same bytes.
      generatedAt: timeline.basisRecordedAt,
      ...(timeline.asOf ? { asOf: timeline.asOf } : {}),
      ...(timeline.knownAt ? { knownAt: timeline.knownAt } : {}),
      codebook: { study: codebook.study, version: codebook.version, publishedAt: codebook.publishedAt },
    });
    const body = format === 'svg' ? renderFigureSvg(model) : renderReport(model, format);
    return { format, contentType: CONTENT_TYPES[format], body };
  }
}
