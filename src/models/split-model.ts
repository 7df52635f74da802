import * as tf from '@tensorflow/tfjs'
import { AblateError } from '../errors.js'

/** A functional model cut in two at one tensor. */
export interface ModelSplit {
  /** Image to the cut tensor. */
  head: tf.LayersModel
  /** The cut tensor (as a new input) to the model's output. */
  tail: tf.LayersModel
}

/**
 * Cuts a single-input, single-output functional model at the output of `layerName`. Both halves
 * reuse the model's layer objects (and so its weights). The cut must separate the graph: no layer
 * after it may read a tensor from before it, which holds at the stage ends of ablate's backbones.
 */
export function splitModelAt(args: { model: tf.LayersModel; layerName: string }): ModelSplit {
  const { model, layerName } = args
  // Node 0 is the layer's call in the model itself; later nodes come from earlier splits.
  const cut = model.getLayer(layerName).getOutputAt(0)
  if (Array.isArray(cut)) {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      `cannot cut at '${layerName}': it has several outputs`,
    )
  }

  const head = tf.model({ inputs: model.inputs, outputs: cut, name: `${model.name}_frozen` })
  const input = tf.input({ shape: cut.shape.slice(1) as number[], name: `${layerName}_features` })
  const output = replayAfter({ model, cut, input, layerName })
  const tail = tf.model({ inputs: input, outputs: output, name: `${model.name}_trainable` })
  return { head, tail }
}

/** Re-applies every layer downstream of `cut` to `input`, in the model's topological order. */
function replayAfter(args: {
  model: tf.LayersModel
  cut: tf.SymbolicTensor
  input: tf.SymbolicTensor
  layerName: string
}): tf.SymbolicTensor {
  const replaced = new Map<number, tf.SymbolicTensor>([[args.cut.id, args.input]])
  for (const layer of args.model.layers) {
    // Node 0 is the layer's call in the model being cut: ablate's builders call each layer once.
    const node = layer.inboundNodes[0]
    if (node === undefined || node.inputTensors.length === 0) continue
    const inputs = node.inputTensors.map((t) => replaced.get(t.id))
    const known = inputs.filter((t) => t !== undefined)
    if (known.length === 0) continue
    if (known.length !== inputs.length) {
      throw new AblateError(
        'ABLATE_SPEC_INVALID',
        `cannot cut at '${args.layerName}': layer '${layer.name}' also reads a tensor from before the cut`,
      )
    }
    const outputs = layer.apply(known.length === 1 ? known[0]! : known) as
      | tf.SymbolicTensor
      | tf.SymbolicTensor[]
    const outs = Array.isArray(outputs) ? outputs : [outputs]
    node.outputTensors.forEach((t, i) => {
      replaced.set(t.id, outs[i]!)
    })
  }

  const output = args.model.outputs[0]
  const mapped = output === undefined ? undefined : replaced.get(output.id)
  if (mapped === undefined) {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      `cannot cut at '${args.layerName}': output unreached`,
    )
  }
  return mapped
}
