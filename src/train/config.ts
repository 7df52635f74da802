/**
 * The config of the default run (fine-tuning with TensorFlow.js). An experiment gives a full or partial
 * `TrainConfig`; each variant's partial config is deep-merged over it (objects merge, arrays and scalars
 * replace). Every field is optional; defaults are resolved once by the training engine.
 */

/** Names of the architectures in the model zoo (Keras layer names for the first three). */
export type Architecture = 'resnet50' | 'mobilenetv2' | 'densenet121' | 'compact-resnet'

/** Which backbone layers train. */
export type Trainable = 'frozen' | 'all' | { lastStages: number }

/** tfjs backend choice; `'auto'` tries tensorflow-gpu, tensorflow, wasm, cpu in that order. */
export type BackendName = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'

/** Where the images come from and how the validation split is drawn. */
export interface DataConfig {
  /** Image folder with one subfolder per class. One of `dir` or `csv` is required. */
  dir?: string
  /** CSV with columns `path,label`; relative paths resolve against the CSV's folder. */
  csv?: string
  /**
   * Default: the class folders' names, or the CSV's labels, sorted (CSV digit labels numerically).
   * The classes, in the order that fixes their indices (index = position). A CSV label outside the
   * list is an error; with `dir`, so is a class folder outside it or a listed class without one.
   */
  classes?: string[]
  /** Default: the architecture's own input size. Square side in pixels. */
  imageSize?: number
  /**
   * Default 'stretch' (as Keras `load_img`). How images are fitted into the square: 'stretch' scales
   * each side, 'cover' scales to fill and crops the centre, 'contain' scales to fit and pads black.
   */
  resize?: 'stretch' | 'cover' | 'contain'
  /** Default 0.2. Fraction of each class held out for validation. */
  validationSplit?: number
  /** Default 42. Seed of the split, fixed across variants and repetitions. */
  splitSeed?: number
  /** Default false. When true the split seed is the run seed (the split varies per repetition). */
  splitVariesWithSeed?: boolean
  /** Default false. Skip unreadable images (counted and reported) instead of failing. */
  skipUnreadable?: boolean
  /**
   * Default none. A folder of unlabelled images (searched recursively) that every run classifies
   * after training; the predictions go into the run's details.
   */
  predictDir?: string
}

/** Seeded random augmentation; every field defaults to off, so `{}` means none. */
export interface AugmentConfig {
  /** Default false. Random flips. */
  flip?: false | 'horizontal' | 'vertical' | 'both'
  /** Default 0. Random rotation by up to ± this many degrees. */
  rotationDeg?: number
  /** Default 0. Random contrast factor drawn from [1 - x, 1 + x]. */
  contrast?: number
  /** Default 0. Random translation by up to ± this fraction of width and height. */
  translate?: number
  /** Default 0. Random zoom by up to ± this fraction. */
  zoom?: number
}

/** The default run's whole config: data, model, preprocessing, augmentation and optimisation. */
export interface TrainConfig {
  /** Default {} (a `dir` or `csv` is still required). The image source and its split. */
  data?: DataConfig
  /** Default 'compact-resnet'. */
  architecture?: Architecture
  /**
   * Default 'imagenet' for zoo models with published weights, null (random init) for
   * 'compact-resnet'. A path to a Keras .h5 file also works.
   */
  weights?: 'imagenet' | string | null
  /** Default 'frozen'. Which backbone layers train (BatchNorm stays in inference mode when frozen). */
  trainable?: Trainable
  /** Default 0. Dropout rate before the dense softmax head. */
  dropout?: number
  /** Default 1. Deterministic contrast factor around each image's mean (2 = contrast x2). */
  contrast?: number
  /** Default {} (none). Seeded random augmentation, drawn per epoch from the run seed. */
  augment?: AugmentConfig
  /**
   * Default 'none'. `'sampler'`: each epoch draws classes uniformly; `'class-weights'`: the loss
   * weighs each class by n / (classes x count).
   */
  balance?: 'none' | 'sampler' | 'class-weights'
  /** Default 10. Passes over the training split. */
  epochs?: number
  /** Default 32. Images per optimiser step. */
  batchSize?: number
  /** Default 1e-3. Initial learning rate of the optimiser. */
  learningRate?: number
  /** Default 'adam'. */
  optimizer?: 'adam' | 'sgd' | 'rmsprop'
  /** Default none. Learning-rate schedule over epochs. */
  lrSchedule?: { kind: 'cosine' } | { kind: 'step'; everyEpochs: number; factor: number }
  /**
   * Default off. Stop when the validation metric has not improved for `patience` epochs; the best
   * weights are restored.
   */
  earlyStopping?: { patience: number; metric?: string }
  /** Default 'auto'. Also settable with ABLATE_BACKEND. */
  backend?: BackendName
  /**
   * Default 'disk'. Frozen-backbone feature cache, used when the backbone is frozen and no random
   * augmentation applies: `'disk'` keeps features in memory and under `cacheDir`, `'memory'` in this
   * process only, `'off'` recomputes the backbone on every batch. Results are identical either way.
   */
  featureCache?: 'disk' | 'memory' | 'off'
  /** Default '.ablate/cache' (relative to the working directory). Folder of on-disk caches. */
  cacheDir?: string
}
