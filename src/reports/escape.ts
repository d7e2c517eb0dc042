/**
 * Escaping for every piece of user text a report prints. Titles, labels and informants come
 * from field notes and imports: they are data, never markup.
 */
const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Anything escapeXml would change. Most strings of a report (ids, kinds, dates, numbers) have
// none, and one test is far cheaper than two replace passes: a 10,000-event HTML report
// escapes ~100,000 strings.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f&<>"']/;

/** Safe in XML/HTML text and in quoted attribute values. */
export function escapeXml(text: string): string {
  if (!UNSAFE.test(text)) return text;
  // Control characters other than tab/newline are invalid in XML 1.0; drop them.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML[c]!);
}

/** Safe inside a Markdown table cell: pipes escaped, line breaks flattened. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ').replace(/</g, '&lt;');
}

/** Safe as Markdown running text (headings, list items). */
export function escapeMarkdownText(text: string): string {
  // Inline markup characters anywhere; '#' and '>' only where they would open a heading or quote.
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/([\\`*_[\]<|])/g, '\\$1')
    .replace(/^([#>])/, '\\$1');
}
