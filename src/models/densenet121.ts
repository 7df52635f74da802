import type * as tf from '@tensorflow/tfjs'
import type { LayerKit } from './layer-kit.js'
import type { ArchitectureSpec } from './types.js'

const EPSILON = 1.001e-5
const GROWTH_RATE = 32
/** Conv blocks per dense block (conv2 to conv5). */
const BLOCKS = [6, 12, 24, 16] as const

/** Keras' DenseNet conv block: BN-ReLU-1x1 (4k), BN-ReLU-3x3 (k), concatenated to the input. */
function convBlock(kit: LayerKit, x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  let y = kit.bn(x, { name: `${name}_0_bn`, epsilon: EPSILON })
  y = kit.act(y, `${name}_0_relu`)
  y = kit.conv(y, {
    name: `${name}_1_conv`,
    filters: 4 * GROWTH_RATE,
    kernelSize: 1,
    useBias: false,
  })
  y = kit.bn(y, { name: `${name}_1_bn`, epsilon: EPSILON })
  y = kit.act(y, `${name}_1_relu`)
  y = kit.conv(y, {
    name: `${name}_2_conv`,
    filters: GROWTH_RATE,
    kernelSize: 3,
    padding: 'same',
    useBias: false,
  })
  return kit.concat([x, y], `${name}_concat`)
}

/** Keras' DenseNet transition: BN-ReLU-1x1 halving the channels, then 2x2 average pooling. */
function transition(kit: LayerKit, x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  const channels = x.shape[x.shape.length - 1] as number
  let y = kit.bn(x, { name: `${name}_bn`, epsilon: EPSILON })
  y = kit.act(y, `${name}_relu`)
  y = kit.conv(y, {
    name: `${name}_conv`,
    filters: Math.floor(channels / 2),
    kernelSize: 1,
    useBias: false,
  })
  return kit.avgPool(y, { name: `${name}_pool`, poolSize: 2, strides: 2 })
}

function buildBackbone(args: { input: tf.SymbolicTensor; kit: LayerKit }): tf.SymbolicTensor {
  const { kit } = args
  let x = kit.pad(args.input, 'zero_padding2d', [
    [3, 3],
    [3, 3],
  ])
  x = kit.conv(x, { name: 'conv1/conv', filters: 64, kernelSize: 7, strides: 2, useBias: false })
  x = kit.bn(x, { name: 'conv1/bn', epsilon: EPSILON })
  x = kit.act(x, 'conv1/relu')
  x = kit.pad(x, 'zero_padding2d_1', [
    [1, 1],
    [1, 1],
  ])
  x = kit.maxPool(x, { name: 'pool1', poolSize: 3, strides: 2 })

  BLOCKS.forEach((blocks, i) => {
    for (let b = 1; b <= blocks; b++) x = convBlock(kit, x, `conv${i + 2}_block${b}`)
    if (i < BLOCKS.length - 1) x = transition(kit, x, `pool${i + 2}`)
  })
  x = kit.bn(x, { name: 'bn', epsilon: EPSILON })
  return kit.act(x, 'relu')
}

/**
 * DenseNet121 as Keras Applications builds it (7,037,504 parameters without top), with Keras' layer
 * names (`conv1/conv`, `conv2_block1_1_conv`, ..., `bn`). Input preprocessing is 'torch'.
 */
export const densenet121: ArchitectureSpec = {
  name: 'densenet121',
  defaultInputSize: 224,
  minInputSize: 32,
  preprocessing: 'torch',
  stageEnds: ['pool1', 'pool2_pool', 'pool3_pool', 'pool4_pool', 'relu'],
  buildBackbone,
  imagenet: {
    urlPath: 'densenet/densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5',
    fileName: 'densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5',
    md5: '30ee3e1110167f948a6b9946edeeb738',
  },
}
