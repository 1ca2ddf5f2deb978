/**
 * Makes user text literal in Markdown (CommonMark and GFM): every character that can start
 * emphasis, a link, code, HTML, a table cell or an entity is backslash-escaped everywhere, and
 * those that only matter at the start of a line (lists, headings, quotes, rules) there.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]<>|~#!&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+=>])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/** A table cell: one line. */
export function markdownCell(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
