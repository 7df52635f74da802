/**
 * Fine-tunes ResNet50 from Keras Applications' ImageNet weights on your own image folder (one
 * subfolder per class). Not part of the default bench: it downloads the weights on first use (about
 * 95 MB into $KERAS_HOME/models, default ~/.keras/models) and wants a GPU (tfjs-node-gpu) or patience.
 *
 *   ABLATE_IMAGES_DIR=/path/to/images npx vitest run --config examples/resnet50-imagenet/vitest.config.ts
 */
import { AblateError } from '../../src/errors.js'
import { baseline, experiment, variant } from '../../src/index.js'
import type { TrainConfig } from '../../src/train/config.js'

function imagesDir(): string {
  const dir = process.env.ABLATE_IMAGES_DIR
  if (!dir) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      'examples/resnet50-imagenet expected ABLATE_IMAGES_DIR to name a folder with one subfolder ' +
        'per class, found it unset: run ABLATE_IMAGES_DIR=/path/to/images npx vitest run ' +
        '--config examples/resnet50-imagenet/vitest.config.ts',
    )
  }
  return dir
}

const config: TrainConfig = {
  data: { dir: imagesDir(), imageSize: Number(process.env.ABLATE_IMAGE_SIZE ?? 224) },
  architecture: 'resnet50',
  weights: 'imagenet',
  trainable: 'frozen',
  epochs: Number(process.env.ABLATE_EPOCHS ?? 10),
  batchSize: 16,
  learningRate: 1e-3,
}

// Head only on frozen ImageNet features (cached) against fine-tuning the last stage, and against
// random flips and rotations on the frozen backbone.
experiment('resnet50 imagenet', { repetitions: 6, metric: 'f1Macro', config }, () => {
  baseline('frozen backbone', {})
  variant('last stage trains', { trainable: { lastStages: 1 }, learningRate: 1e-4 })
  variant('flip + rotation 15', { augment: { flip: 'horizontal', rotationDeg: 15 } })
})
