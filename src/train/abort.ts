import { AblateError } from '../errors.js'

/** Throws `ABLATE_ABORTED` when `signal` has aborted, saying where and keeping the reason as cause. */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (!signal?.aborted) return
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : ''
  throw new AblateError('ABLATE_ABORTED', `Training aborted ${where}${reason}.`, {
    cause: signal.reason,
  })
}
