import createDebug from 'debug'

/**
 * A namespaced debug logger, off by default. Enable with `DEBUG=ablate:*` (or `ablate:train`, ...).
 * Library code logs here and never prints; reporters own stdout.
 */
export function createLogger(area: string): createDebug.Debugger {
  return createDebug(`ablate:${area}`)
}
