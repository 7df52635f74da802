import type * as tf from '@tensorflow/tfjs'
import type { LayerKit } from './layer-kit.js'
import type { ArchitectureSpec } from './types.js'

const EPSILON = 1.001e-5
/** Bottleneck filters and block counts of the four stages (conv2 to conv5). */
const STAGES = [
  { filters: 64, blocks: 3 },
  { filters: 128, blocks: 4 },
  { filters: 256, blocks: 6 },
  { filters: 512, blocks: 3 },
] as const

/** Keras' ResNet v1 bottleneck: 1x1, 3x3, 1x1 (x4 filters), with the stride on the first 1x1. */
function bottleneck(
  kit: LayerKit,
  x: tf.SymbolicTensor,
  args: { name: string; filters: number; strides: number; convShortcut: boolean },
): tf.SymbolicTensor {
  const { name, filters, strides } = args
  let shortcut = x
  if (args.convShortcut) {
    shortcut = kit.conv(x, { name: `${name}_0_conv`, filters: 4 * filters, kernelSize: 1, strides })
    shortcut = kit.bn(shortcut, { name: `${name}_0_bn`, epsilon: EPSILON })
  }

  let y = kit.conv(x, { name: `${name}_1_conv`, filters, kernelSize: 1, strides })
  y = kit.bn(y, { name: `${name}_1_bn`, epsilon: EPSILON })
  y = kit.act(y, `${name}_1_relu`)
  y = kit.conv(y, { name: `${name}_2_conv`, filters, kernelSize: 3, padding: 'same' })
  y = kit.bn(y, { name: `${name}_2_bn`, epsilon: EPSILON })
  y = kit.act(y, `${name}_2_relu`)
  y = kit.conv(y, { name: `${name}_3_conv`, filters: 4 * filters, kernelSize: 1 })
  y = kit.bn(y, { name: `${name}_3_bn`, epsilon: EPSILON })

  y = kit.add([shortcut, y], `${name}_add`)
  return kit.act(y, `${name}_out`)
}

function buildBackbone(args: { input: tf.SymbolicTensor; kit: LayerKit }): tf.SymbolicTensor {
  const { kit } = args
  let x = kit.pad(args.input, 'conv1_pad', [
    [3, 3],
    [3, 3],
  ])
  x = kit.conv(x, { name: 'conv1_conv', filters: 64, kernelSize: 7, strides: 2 })
  x = kit.bn(x, { name: 'conv1_bn', epsilon: EPSILON })
  x = kit.act(x, 'conv1_relu')
  x = kit.pad(x, 'pool1_pad', [
    [1, 1],
    [1, 1],
  ])
  x = kit.maxPool(x, { name: 'pool1_pool', poolSize: 3, strides: 2 })

  STAGES.forEach(({ filters, blocks }, stage) => {
    for (let block = 1; block <= blocks; block++) {
      const strides = stage > 0 && block === 1 ? 2 : 1
      const name = `conv${stage + 2}_block${block}`
      x = bottleneck(kit, x, { name, filters, strides, convShortcut: block === 1 })
    }
  })
  return x
}

/**
 * ResNet50 exactly as Keras Applications builds it (23,587,712 parameters without top), so that
 * Keras' ImageNet .h5 loads by layer name. Input preprocessing is 'caffe'.
 */
export const resnet50: ArchitectureSpec = {
  name: 'resnet50',
  defaultInputSize: 224,
  minInputSize: 32,
  preprocessing: 'caffe',
  stageEnds: [
    'pool1_pool',
    'conv2_block3_out',
    'conv3_block4_out',
    'conv4_block6_out',
    'conv5_block3_out',
  ],
  buildBackbone,
  imagenet: {
    urlPath: 'resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
    fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5',
    md5: '4d473c1dd8becc155b73f8504c6f6626',
  },
}
