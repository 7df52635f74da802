/**
 * Escaping of user text (experiment, variant and class names, environment values) for the HTML
 * report. Written by hand: five character replacements need no dependency, and none is installed.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for use in HTML element content and in quoted attribute values.
 * Every `&`, `<`, `>`, `"` and `'` becomes an entity, so the result can never open a tag, close an
 * attribute or start a character reference; all other characters pass through unchanged.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

/**
 * Makes a string safe as an HTML `id` and URL fragment: letters, digits, `-` and `_` kept, runs of
 * anything else become one `-`; a `prefix` keeps ids distinct and starting with a letter.
 */
export function toHtmlId(args: { prefix: string; text: string; index: number }): string {
  const slug = args.text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return `${args.prefix}-${args.index}${slug === '' ? '' : `-${slug}`}`
}
