import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { parseCsv } from '../../src/data/csv.js'

const parse = (text: string) => parseCsv({ text, source: 'labels.csv' }).map((r) => r.fields)

describe('parseCsv', () => {
  test('reads quoted fields with commas, doubled quotes and newlines; CRLF, BOM, blank lines', () => {
    const text =
      '\uFEFFpath,label\r\n"a, b.png",cat\r\n\r\n"say ""hi"".png","multi\nline"\nc.png,dog'
    expect(parse(text)).toEqual([
      ['path', 'label'],
      ['a, b.png', 'cat'],
      ['say "hi".png', 'multi\nline'],
      ['c.png', 'dog'],
    ])
  })

  test('reports the line each record starts on', () => {
    const records = parseCsv({ text: 'a,b\n\n"x\ny",z\nlast,one\n', source: 's' })
    expect(records.map((r) => r.line)).toEqual([1, 3, 5])
  })

  test('an unclosed quote names the file and line', () => {
    expect(() => parseCsv({ text: 'a,b\n"oops,c\n', source: 'labels.csv' })).toThrow(
      /labels\.csv.*line 2/,
    )
  })

  test('round-trips any fields written RFC 4180 style (fast-check)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é') })
    const rows = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), {
      minLength: 1,
      maxLength: 8,
    })
    fc.assert(
      fc.property(rows, fc.constantFrom('\n', '\r\n'), (records, eol) => {
        // A row of one empty field is a blank line, which the reader skips by design.
        const quoted = (f: string) => `"${f.replaceAll('"', '""')}"`
        const text = records.map((r) => r.map(quoted).join(',')).join(eol)
        expect(parse(text)).toEqual(records)
      }),
    )
  })
})
