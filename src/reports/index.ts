/** Public surface of the pure report renderers. */
export * from './escape.js';
export * from './render-html.js';
export * from './render-json.js';
export * from './render-markdown.js';
export * from './render.js';
export * from './report-model.js';
export { renderChartSvg } from './chart-svg.js';
export type { ChartOptions } from './chart-svg.js';
export * from './compare-report.js';
export * from './sts.js';
