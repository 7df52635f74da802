/**
 * The config every shipped study starts from: fine-tuning the compact ResNet, pretrained on the seven
 * other Fashion-MNIST classes (fixtures/backbone), on the unbalanced 3-class fixture (fixtures/fashion3),
 * scored by macro F1 on a fixed, stratified 20% validation split. Each study changes one thing.
 */
import type { TrainConfig } from '../src/train/config.js'

/** The committed pretrained backbone (Keras 2 .h5, no head); see fixtures/README.md. */
export const FASHION3_BACKBONE = 'fixtures/backbone/compact-resnet-fmnist7.h5'

/** Shared by every study: data, split, backbone, and a head-only fine-tuning recipe. */
export const FASHION3_CONFIG: TrainConfig = {
  data: { dir: 'fixtures/fashion3', imageSize: 32, validationSplit: 0.2, splitSeed: 42 },
  architecture: 'compact-resnet',
  weights: FASHION3_BACKBONE,
  trainable: 'frozen',
  epochs: 6,
  batchSize: 32,
  learningRate: 5e-3,
  optimizer: 'adam',
}

/** The options every study shares: 6 paired seeds, macro F1, the harness's defaults otherwise. */
export const STUDY_OPTIONS = { repetitions: 6, metric: 'f1Macro' } as const
