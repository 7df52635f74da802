/**
 * A small RFC 4180 reader for the two-column label files. Written by hand because the only CSV
 * parser already installed (d3-dsv, through vega) ships without types; two columns did not justify
 * a new dependency pair.
 */

import { AblateError } from '../errors.js'

/** One parsed record with the 1-based line of the file on which it starts. */
export interface CsvRecord {
  fields: string[]
  line: number
}

/**
 * Splits CSV text into records: comma separated, fields optionally double-quoted, `""` inside
 * quotes is one quote, quoted fields may hold commas and newlines; CRLF or LF line ends; a leading
 * BOM and blank lines are dropped.
 */
export function parseCsv(args: { text: string; source: string }): CsvRecord[] {
  const { text, source } = args
  const records: CsvRecord[] = []
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let recordLine = 1

  const endRecord = () => {
    fields.push(field)
    if (fields.length > 1 || fields[0] !== '') records.push({ fields, line: recordLine })
    fields = []
    field = ''
  }

  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else {
        if (ch === '\n') line++
        field += ch
      }
    } else if (ch === '"' && field === '') quoted = true
    else if (ch === ',') {
      fields.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++
      endRecord()
      line++
      recordLine = line
    } else field += ch
  }
  if (quoted) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `${source}: expected a closing double quote for the field opened on line ${recordLine}, ` +
        'found the end of the file. Close the quote or write "" for a literal quote.',
    )
  }
  if (field !== '' || fields.length > 0) endRecord()
  return records
}
