import type {WatchSession} from '../../../src/core/watch/session.js'

/** Resolves after the session's next `n` refreshes of the cluster (the poller runs on its own). */
export function refreshes(s: WatchSession, n: number): Promise<void> {
  let seen = 0
  let last = s.store.getState().lastRefreshAt?.getTime()
  return new Promise<void>((resolve) => {
    const off = s.store.subscribe(() => {
      const at = s.store.getState().lastRefreshAt?.getTime()
      if (at !== undefined && at !== last) {
        last = at
        seen += 1
        if (seen >= n) {
          off()
          resolve()
        }
      }
    })
  })
}
