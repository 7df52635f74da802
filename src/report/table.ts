/**
 * Plain-text table layout for the terminal reporter. Hand-written: no dependency of the project
 * lays out columns, and the rule (names left, numbers right, two spaces apart) is a few lines.
 */

/** One column: a header and whether cells align right (numbers) or left (words). */
export interface Column {
  header: string
  align: 'left' | 'right'
}

/** Lays out `rows` under `columns` with two spaces between columns, trailing spaces trimmed. */
export function layoutTable(args: {
  columns: readonly Column[]
  rows: readonly string[][]
}): string[] {
  const widths = args.columns.map((column, i) =>
    Math.max(column.header.length, ...args.rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: readonly string[]): string =>
    args.columns
      .map((column, i) => pad(cells[i] ?? '', widths[i] ?? 0, column.align))
      .join('  ')
      .trimEnd()

  return [line(args.columns.map((c) => c.header)), ...args.rows.map(line)]
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width)
}
