import { AblateError } from '../errors.js'
import type { Architecture } from '../train/config.js'
import { compactResnet } from './compact-resnet.js'
import { densenet121 } from './densenet121.js'
import { mobilenetV2 } from './mobilenet-v2.js'
import { resnet50 } from './resnet50.js'
import type { ArchitectureSpec } from './types.js'

const SPECS: Record<Architecture, ArchitectureSpec> = {
  'compact-resnet': compactResnet,
  resnet50,
  mobilenetv2: mobilenetV2,
  densenet121,
}

/** The zoo's architecture names that can be built. */
export function listArchitectures(): Architecture[] {
  return Object.keys(SPECS) as Architecture[]
}

/** The spec of an architecture; throws naming the known ones when it is not in the zoo. */
export function getArchitectureSpec(architecture: Architecture): ArchitectureSpec {
  // Specs can come from untyped JSON or JavaScript, so the lookup can still miss.
  const spec = SPECS[architecture] as ArchitectureSpec | undefined
  if (spec === undefined) {
    const known = listArchitectures().join(', ')
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      `architecture '${architecture}' is not built by ablate; use one of: ${known}`,
    )
  }
  return spec
}
