import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { diffConfigs, flattenConfig } from '../../src/report/html-config.js'

/** JSON-like configs a few levels deep, as experiments write them. */
const config = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((key) => !key.includes('.')),
  fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.string(),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
  ),
  { maxKeys: 5 },
)

describe('diffConfigs', () => {
  test('finds nothing between a config and itself', () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(diffConfigs({ baseline: c, variant: c })).toEqual([])
      }),
    )
  })

  test('finds exactly the one leaf that was changed', () => {
    fc.assert(
      fc.property(config, fc.integer(), (c, value) => {
        const variant = { ...c, changed_leaf: value }
        const baseline = { ...c, changed_leaf: value + 1 }
        expect(diffConfigs({ baseline, variant })).toEqual([
          { path: 'changed_leaf', before: String(value + 1), after: String(value) },
        ])
      }),
    )
  })

  test('names nested paths and keys present on one side only', () => {
    const baseline = { dropout: 0, augment: { flip: false, rotationDeg: 0 } }
    const variant = { dropout: 0, augment: { flip: 'horizontal', rotationDeg: 0, contrast: 0.2 } }
    expect(diffConfigs({ baseline, variant })).toEqual([
      { path: 'augment.flip', before: 'false', after: '"horizontal"' },
      { path: 'augment.contrast', before: '–', after: '0.2' },
    ])
  })

  test('treats arrays and empty objects as leaves', () => {
    expect([...flattenConfig({ a: [1, 2], b: {}, c: { d: null } })]).toEqual([
      ['a', '[1,2]'],
      ['b', '{}'],
      ['c.d', 'null'],
    ])
  })
})
