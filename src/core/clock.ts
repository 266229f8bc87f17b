/** The real clock, for commands and the Lambda; tests pass a fake one (see the Clock port). */
import type {Clock} from './ports.js'

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const abortError = () => Object.assign(new Error('The operation was aborted'), {name: 'AbortError'})
      if (signal?.aborted) return reject(abortError())
      const onAbort = () => {
        clearTimeout(timer)
        reject(abortError())
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, {once: true})
    }),
}
