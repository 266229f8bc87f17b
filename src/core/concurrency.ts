/** Maps with at most `limit` calls in flight, keeping the input order in the result. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i] as T, i)
    }
  }
  await Promise.all(Array.from({length: Math.min(Math.max(1, limit), items.length)}, worker))
  return results
}

/**
 * A limiter for work that arrives over time (e.g. one describe per page as pages come in): at most `limit`
 * tasks run at once, the rest wait in order.
 */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const queue: Array<() => void> = []
  const next = () => {
    if (active >= Math.max(1, limit)) return
    const start = queue.shift()
    if (start) {
      active++
      start()
    }
  }
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--
            next()
          })
      })
      next()
    })
}

/**
 * Keeps a promise for later `await` without Node reporting its rejection as unhandled in the meantime:
 * the caller still sees the error when it awaits the returned promise.
 */
export function defer<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
