import { renderReportHtml } from './render-html.js';
import { renderReportJson } from './render-json.js';
import { renderReportMarkdown } from './render-markdown.js';
import type { ReportModel } from './report-model.js';

export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(model: ReportModel, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderReportMarkdown(model);
    case 'json':
      return renderReportJson(model);
    case 'html':
      return renderReportHtml(model);
    default: {
      const never: never = format;
      throw new RangeError(`unknown report format ${String(never)}`);
    }
  }
}

export { renderFigureSvg } from './render-figure.js';
