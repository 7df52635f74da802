import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { mergeConfig } from '../../src/spec/merge.js'

/** Keys that reach a prototype are dropped by design (tested on their own below), so not drawn. */
const key = fc
  .string({ maxLength: 4 })
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k))
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 4 }),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(key, tie('json'), { maxKeys: 3 }),
  ),
}))
const objects = fc.dictionary(key, json, { maxKeys: 5 })

describe('mergeConfig', () => {
  test('merges nested objects and replaces arrays and scalars', () => {
    const base = { data: { dir: 'a', imageSize: 32 }, augment: { flip: 'both' }, tags: [1, 2] }
    const merged = mergeConfig(base, { data: { imageSize: 64 }, tags: [3], dropout: 0.1 })
    expect(merged).toEqual({
      data: { dir: 'a', imageSize: 64 },
      augment: { flip: 'both' },
      tags: [3],
      dropout: 0.1,
    })
  })

  test('an empty override gives an equal copy that shares nothing', () => {
    fc.assert(
      fc.property(objects, (base) => {
        const merged = mergeConfig(base, {})
        expect(merged).toEqual(base)
        if (Object.keys(base).length > 0) expect(merged).not.toBe(base)
      }),
    )
  })

  test('every key of the override wins at the top level when it is not an object', () => {
    fc.assert(
      fc.property(
        objects,
        fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.array(fc.integer()))),
        (base, override) => {
          const merged = mergeConfig(base, override) as Record<string, unknown>
          for (const [key, value] of Object.entries(override)) {
            if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue
            expect(merged[key]).toEqual(value)
          }
        },
      ),
    )
  })

  test('never mutates its inputs', () => {
    fc.assert(
      fc.property(objects, objects, (base, override) => {
        const [b, o] = [structuredClone(base), structuredClone(override)]
        mergeConfig(base, override)
        expect(base).toEqual(b)
        expect(override).toEqual(o)
      }),
    )
  })

  test('ignores prototype keys', () => {
    const merged = mergeConfig({}, JSON.parse('{"__proto__": {"polluted": true}}')) as object
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(merged)).toEqual([])
  })

  test('drops prototype keys nested in the base too, so a copy never gains a prototype', () => {
    const base = JSON.parse('{"a": {"__proto__": {"polluted": true}, "b": 1}}')
    const merged = mergeConfig(base, {}) as { a: object }
    expect(Object.getPrototypeOf(merged.a)).toBe(Object.prototype)
    expect(merged).toEqual({ a: { b: 1 } })
  })
})
