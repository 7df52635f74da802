import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { writeFileAtomic } from '../atomic-write.js'
import { AblateError } from '../errors.js'
import './seeded-dropout.js'

const MODEL_JSON = 'model.json'
const WEIGHTS_BIN = 'weights.bin'

/**
 * Saves a model in the tfjs layers format (`model.json` plus `weights.bin`) into `dir`, each file
 * written to a temporary name and renamed. No tfjs-node needed: a small file-system IOHandler.
 */
export async function saveModel(args: { model: tf.LayersModel; dir: string }): Promise<void> {
  await args.model.save(fileSaveHandler(args.dir))
}

/** Loads a model saved by {@link saveModel} (or by tfjs-node's `file://` handler) from `dir`. */
export async function loadModel(args: { dir: string }): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(args.dir))
}

function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      const weightData = artifacts.weightData ?? new ArrayBuffer(0)
      const weights = tf.io.CompositeArrayBuffer.join(weightData)
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      }
      await writeFileAtomic({ path: join(dir, WEIGHTS_BIN), data: new Uint8Array(weights) })
      await writeFileAtomic({ path: join(dir, MODEL_JSON), data: JSON.stringify(json) })
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) }
    },
  }
}

function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = await readModelJson(dir)
      const specs: tf.io.WeightsManifestEntry[] = []
      const buffers: Buffer[] = []
      for (const group of json.weightsManifest) {
        specs.push(...group.weights)
        for (const path of group.paths) buffers.push(await readFile(join(dir, path)))
      }
      const joined = Buffer.concat(buffers)
      const weightData = joined.buffer.slice(
        joined.byteOffset,
        joined.byteOffset + joined.byteLength,
      )
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: weightData as ArrayBuffer,
      }
    },
  }
}

async function readModelJson(dir: string): Promise<tf.io.ModelJSON> {
  const path = join(dir, MODEL_JSON)
  try {
    return JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON
  } catch (cause) {
    throw new AblateError(
      'ABLATE_WEIGHTS_MISSING',
      `expected a tfjs model at '${path}' (written by saveModel), but it could not be read`,
      { cause },
    )
  }
}
