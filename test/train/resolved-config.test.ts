import { describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { hasRandomAugmentation, resolveTrainConfig } from '../../src/train/resolved-config.js'

describe('resolveTrainConfig', () => {
  test('fills the documented defaults', () => {
    const resolved = resolveTrainConfig({})

    expect(resolved).toMatchObject({
      architecture: 'compact-resnet',
      weights: null,
      trainable: 'frozen',
      dropout: 0,
      contrast: 1,
      balance: 'none',
      epochs: 10,
      batchSize: 32,
      learningRate: 1e-3,
      optimizer: 'adam',
      lrSchedule: null,
      earlyStopping: null,
      backend: 'auto',
      featureCache: 'disk',
      cacheDir: '.ablate/cache',
    })
    expect(resolved.data).toMatchObject({ validationSplit: 0.2, splitSeed: 42, imageSize: null })
    expect(hasRandomAugmentation(resolved.augment)).toBe(false)
  })

  test('zoo models default to ImageNet weights; an explicit null stays null', () => {
    expect(resolveTrainConfig({ architecture: 'resnet50' }).weights).toBe('imagenet')
    expect(resolveTrainConfig({ architecture: 'resnet50', weights: null }).weights).toBeNull()
  })

  test('early stopping watches validation macro F1 unless told otherwise', () => {
    expect(resolveTrainConfig({ earlyStopping: { patience: 2 } }).earlyStopping).toEqual({
      patience: 2,
      metric: 'f1Macro',
    })
  })

  test.each([
    [{ epochs: 0 }, 'epochs', '0'],
    [{ batchSize: 2.5 }, 'batchSize', '2.5'],
    [{ learningRate: -1 }, 'learningRate', '-1'],
    [{ dropout: 1 }, 'dropout', '1'],
    [{ earlyStopping: { patience: 0 } }, 'earlyStopping.patience', '0'],
    [{ earlyStopping: { patience: 1, metric: 'auc' } }, 'earlyStopping.metric', 'auc'],
    [{ lrSchedule: { kind: 'step' as const, everyEpochs: 0, factor: 0.5 } }, 'everyEpochs', '0'],
  ])('rejects %j naming the option and the value', (config, option, value) => {
    const attempt = () => resolveTrainConfig(config)

    expect(attempt).toThrow(AblateError)
    expect(attempt).toThrow(option)
    expect(attempt).toThrow(value)
  })

  test('any random augmentation counts as random', () => {
    const none = resolveTrainConfig({}).augment

    expect(hasRandomAugmentation({ ...none, flip: 'horizontal' })).toBe(true)
    expect(hasRandomAugmentation({ ...none, rotationDeg: 10 })).toBe(true)
    expect(hasRandomAugmentation({ ...none, contrast: 0.2 })).toBe(true)
  })
})
