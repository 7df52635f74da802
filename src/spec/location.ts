import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A place in a spec file. */
export interface SpecLocation {
  /** Relative to the working directory. */
  file: string
  /** 1-based, or null when the stack did not show it. */
  line: number | null
}

/**
 * The spec file and line that called into the harness, read from a stack trace: the first frame
 * outside src/spec. vitest maps stacks of transformed files back to the source lines.
 */
export function findCallerLocation(stack: string | undefined): SpecLocation {
  const frames = (stack ?? '').split('\n').slice(1)
  for (const frame of frames) {
    const match = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):\d+\)?\s*$/.exec(frame)
    if (!match?.[1] || !match[2]) continue
    const path = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1]
    if (isHarnessFrame(path)) continue
    return { file: relative(process.cwd(), path), line: Number(match[2]) }
  }
  return { file: 'unknown', line: null }
}

function isHarnessFrame(path: string): boolean {
  return /[/\\]src[/\\]spec[/\\]/.test(path) || /[/\\]node_modules[/\\]/.test(path)
}
