import { renderChartSvg } from './chart-svg.js';
import type { ReportModel } from './report-model.js';

/** The chart as a standalone SVG file for a paper: namespace, white background, caption. */
export function renderFigureSvg(model: ReportModel, options: { width?: number; caption?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderChartSvg(model, {
    standalone: true,
    width: options.width ?? 960,
    caption: options.caption ?? `${model.firm.name}: ${model.pattern || 'no phases'}`,
  })}\n`;
}
