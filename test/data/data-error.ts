import { expect } from 'vitest'
import { AblateError } from '../../src/errors.js'

/** The message of the ABLATE_DATA_INVALID error that `promise` rejects with; fails otherwise. */
export async function dataError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AblateError)
  expect((error as AblateError).code).toBe('ABLATE_DATA_INVALID')
  return (error as Error).message
}
