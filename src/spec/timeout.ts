import { AblateError } from '../errors.js'

/**
 * Calls `fn` with a signal that aborts after `timeoutMs` or when `signal` aborts, and settles as
 * soon as either happens, even when `fn` ignores its signal (its promise is then left behind).
 */
export async function callWithTimeout<T>(args: {
  fn: (signal: AbortSignal) => Promise<T>
  timeoutMs: number
  signal: AbortSignal
  /** Names the run in the timeout message, e.g. "dropout > 0.1 > seed 3". */
  label: string
}): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let onAbort = (): void => {}
  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: unknown): void => {
      controller.abort(reason)
      reject(reason)
    }
    timer = setTimeout(() => stop(timeoutError(args)), args.timeoutMs)
    onAbort = () => stop(abortedError(args.label, args.signal.reason))
    if (args.signal.aborted) onAbort()
    else args.signal.addEventListener('abort', onAbort, { once: true })
  })

  try {
    return await Promise.race([args.fn(controller.signal), stopped])
  } finally {
    clearTimeout(timer)
    args.signal.removeEventListener('abort', onAbort)
  }
}

function timeoutError(args: { timeoutMs: number; label: string }): AblateError {
  return new AblateError(
    'ABLATE_ABORTED',
    `run ${args.label} took longer than timeoutMs ${args.timeoutMs}; raise the experiment's timeoutMs or shorten the run`,
  )
}

function abortedError(label: string, reason: unknown): AblateError {
  const why = reason instanceof Error ? reason.message : String(reason)
  return new AblateError('ABLATE_ABORTED', `run ${label} was aborted (${why})`, { cause: reason })
}
