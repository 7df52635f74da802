import type * as tf from '@tensorflow/tfjs'
import type { LayerKit } from './layer-kit.js'
import type { ArchitectureSpec } from './types.js'

const BN = { epsilon: 1e-3, momentum: 0.999 }
/** Inverted residual blocks 1..16 of MobileNetV2 at width 1.0: output filters and stride. */
const BLOCKS: readonly { filters: number; strides: number }[] = [
  { filters: 24, strides: 2 },
  { filters: 24, strides: 1 },
  { filters: 32, strides: 2 },
  { filters: 32, strides: 1 },
  { filters: 32, strides: 1 },
  { filters: 64, strides: 2 },
  { filters: 64, strides: 1 },
  { filters: 64, strides: 1 },
  { filters: 64, strides: 1 },
  { filters: 96, strides: 1 },
  { filters: 96, strides: 1 },
  { filters: 96, strides: 1 },
  { filters: 160, strides: 2 },
  { filters: 160, strides: 1 },
  { filters: 160, strides: 1 },
  { filters: 320, strides: 1 },
]
const EXPANSION = 6

/** Keras' padding before a stride-2 3x3 depthwise conv: one less on top/left for even sides. */
function correctPad(x: tf.SymbolicTensor): [[number, number], [number, number]] {
  const [, height, width] = x.shape
  const adjust = (side: number | null) => (side === null ? 1 : 1 - (side % 2))
  return [
    [1 - adjust(height ?? null), 1],
    [1 - adjust(width ?? null), 1],
  ]
}

/** Keras' `_inverted_res_block`: optional 1x1 expansion, 3x3 depthwise, 1x1 linear projection. */
function invertedResidual(
  kit: LayerKit,
  input: tf.SymbolicTensor,
  args: { id: number; filters: number; strides: number; expansion: number },
): tf.SymbolicTensor {
  const inChannels = input.shape[input.shape.length - 1] as number
  const prefix = args.id === 0 ? 'expanded_conv_' : `block_${args.id}_`
  let x = input
  if (args.id !== 0) {
    x = kit.conv(x, {
      name: `${prefix}expand`,
      filters: args.expansion * inChannels,
      kernelSize: 1,
      padding: 'same',
      useBias: false,
    })
    x = kit.bn(x, { name: `${prefix}expand_BN`, ...BN })
    x = kit.relu6(x, `${prefix}expand_relu`)
  }

  if (args.strides === 2) x = kit.pad(x, `${prefix}pad`, correctPad(x))
  const padding = args.strides === 1 ? 'same' : 'valid'
  x = kit.depthwise(x, {
    name: `${prefix}depthwise`,
    kernelSize: 3,
    strides: args.strides,
    padding,
  })
  x = kit.bn(x, { name: `${prefix}depthwise_BN`, ...BN })
  x = kit.relu6(x, `${prefix}depthwise_relu`)
  x = kit.conv(x, {
    name: `${prefix}project`,
    filters: args.filters,
    kernelSize: 1,
    padding: 'same',
    useBias: false,
  })
  x = kit.bn(x, { name: `${prefix}project_BN`, ...BN })

  const residual = inChannels === args.filters && args.strides === 1
  return residual ? kit.add([input, x], `${prefix}add`) : x
}

function buildBackbone(args: { input: tf.SymbolicTensor; kit: LayerKit }): tf.SymbolicTensor {
  const { kit } = args
  let x = kit.conv(args.input, {
    name: 'Conv1',
    filters: 32,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    useBias: false,
  })
  x = kit.bn(x, { name: 'bn_Conv1', ...BN })
  x = kit.relu6(x, 'Conv1_relu')

  x = invertedResidual(kit, x, { id: 0, filters: 16, strides: 1, expansion: 1 })
  BLOCKS.forEach((block, i) => {
    x = invertedResidual(kit, x, { id: i + 1, ...block, expansion: EXPANSION })
  })

  x = kit.conv(x, { name: 'Conv_1', filters: 1280, kernelSize: 1, useBias: false })
  x = kit.bn(x, { name: 'Conv_1_bn', ...BN })
  return kit.relu6(x, 'out_relu')
}

/**
 * MobileNetV2 at width 1.0 as Keras Applications builds it (2,257,984 parameters without top).
 * Stages here are the runs between downsamplings: blocks 1-2, 3-5, 6-12 and 13-16 with `Conv_1`.
 * Input preprocessing is 'tf' ([-1, 1]).
 */
export const mobilenetV2: ArchitectureSpec = {
  name: 'mobilenetv2',
  defaultInputSize: 224,
  minInputSize: 32,
  preprocessing: 'tf',
  stageEnds: ['expanded_conv_project_BN', 'block_2_add', 'block_5_add', 'block_12_add', 'out_relu'],
  buildBackbone,
  imagenet: {
    urlPath: 'mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5',
    fileName: 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5',
    // Keras Applications publishes no hash for this file and calls get_file without one.
    md5: null,
  },
}
