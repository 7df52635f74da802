/**
 * Limits how many runs of one experiment are in flight within a worker. Hand-written: a queue of
 * resolvers is all it takes, and no dependency of the project offers one.
 */
export class Semaphore {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(slots: number) {
    this.free = slots
  }

  /** Runs `fn` once a slot is free, and frees the slot when it settles. */
  async use<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await fn()
    } finally {
      this.release()
    }
  }

  private acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free += 1
  }
}
