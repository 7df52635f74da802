import { registerComposedKernel } from './composed-kernel.js'
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d-grads.js'
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwise-grads.js'
import { registerSharedIdentity } from './identity.js'
import { registerFastTransposedMatMul } from './matmul.js'
import { registerFastReductions } from './reduce.js'
import { registerFastTile } from './tile.js'

/**
 * Registers on the wasm backend the training kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput),
 * replaces its slow native Conv2DBackpropInput, and routes transposed BatchMatMul through an
 * explicit Transpose, Tile through a broadcast, Sum and Mean over outer axes through an average
 * pooling, and makes Identity share data. All are composed from wasm's fast forward kernels.
 * Safe to call more than once.
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): void {
  const composed = {
    Conv2DBackpropFilter: conv2dBackpropFilter,
    Conv2DBackpropInput: conv2dBackpropInput,
    DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
    DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  }
  for (const [kernelName, body] of Object.entries(composed)) {
    registerComposedKernel({ kernelName, backendName, body })
  }
  registerFastTransposedMatMul(backendName)
  registerFastTile(backendName)
  registerFastReductions(backendName)
  registerSharedIdentity(backendName)
}
