import type * as tf from '@tensorflow/tfjs'
import type { LayerKit } from './layer-kit.js'
import type { ArchitectureSpec } from './types.js'

/** BatchNorm epsilon of Keras' ResNets, kept for the compact one so one .h5 path serves both. */
const EPSILON = 1.001e-5
const STAGE_FILTERS = [16, 32, 64] as const
const BLOCKS_PER_STAGE = 2

/** Basic residual block (two 3x3 convolutions), named like Keras' ResNet blocks. */
function basicBlock(
  kit: LayerKit,
  x: tf.SymbolicTensor,
  args: { name: string; filters: number; strides: number },
): tf.SymbolicTensor {
  const { name, filters, strides } = args
  const inChannels = x.shape[x.shape.length - 1]
  let shortcut = x
  if (strides !== 1 || inChannels !== filters) {
    shortcut = kit.conv(x, { name: `${name}_0_conv`, filters, kernelSize: 1, strides })
    shortcut = kit.bn(shortcut, { name: `${name}_0_bn`, epsilon: EPSILON })
  }

  let y = kit.conv(x, { name: `${name}_1_conv`, filters, kernelSize: 3, strides, padding: 'same' })
  y = kit.bn(y, { name: `${name}_1_bn`, epsilon: EPSILON })
  y = kit.act(y, `${name}_1_relu`)
  y = kit.conv(y, { name: `${name}_2_conv`, filters, kernelSize: 3, padding: 'same' })
  y = kit.bn(y, { name: `${name}_2_bn`, epsilon: EPSILON })

  y = kit.add([shortcut, y], `${name}_add`)
  return kit.act(y, `${name}_out`)
}

function buildBackbone(args: { input: tf.SymbolicTensor; kit: LayerKit }): tf.SymbolicTensor {
  const { kit } = args
  let x = kit.conv(args.input, { name: 'conv1_conv', filters: 16, kernelSize: 3, padding: 'same' })
  x = kit.bn(x, { name: 'conv1_bn', epsilon: EPSILON })
  x = kit.act(x, 'conv1_relu')

  STAGE_FILTERS.forEach((filters, stage) => {
    for (let block = 1; block <= BLOCKS_PER_STAGE; block++) {
      const strides = stage > 0 && block === 1 ? 2 : 1
      x = basicBlock(kit, x, { name: `conv${stage + 2}_block${block}`, filters, strides })
    }
  })
  return x
}

/**
 * A small ResNet for CPU work (176,288 parameters without top): a 3x3 stem and three stages of two
 * basic blocks with 16, 32 and 64 filters, downsampling by 2 in the second and third stage. Layers
 * are named as in Keras' ResNets (`conv1_conv`, `conv2_block1_1_conv`, ..., `conv4_block2_out`).
 */
export const compactResnet: ArchitectureSpec = {
  name: 'compact-resnet',
  defaultInputSize: 32,
  minInputSize: 32,
  preprocessing: 'tf',
  stageEnds: ['conv1_relu', 'conv2_block2_out', 'conv3_block2_out', 'conv4_block2_out'],
  buildBackbone,
}
