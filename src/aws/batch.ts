import {AwsApiError} from '../core/errors.js'
import {translateAwsError, type CallSite} from './errors.js'

export {mapBounded} from '../core/concurrency.js'

/** How many describe batches run at once: enough to hide latency, few enough not to trip throttling. */
export const DESCRIBE_CONCURRENCY = 4

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Runs one SDK call and translates whatever it throws (see translateAwsError). */
export async function call<T>(site: CallSite, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw translateAwsError(error, site)
  }
}

/**
 * Follows nextToken until the end. A token that repeats would loop forever (an emulator bug we have seen
 * in the wild), so it is treated as an error rather than trusted.
 */
export async function collectPages<P, T>(
  site: CallSite,
  fetchPage: (nextToken: string | undefined) => Promise<P>,
  read: (page: P) => {items: T[] | undefined; nextToken: string | undefined},
  onPage?: (items: T[]) => void,
): Promise<T[]> {
  const all: T[] = []
  const seen = new Set<string>()
  let token: string | undefined
  do {
    const page = read(await call(site, () => fetchPage(token)))
    const items = page.items ?? []
    all.push(...items)
    if (items.length > 0) onPage?.(items)
    token = page.nextToken || undefined
    if (token !== undefined) {
      if (seen.has(token)) {
        throw new AwsApiError(`${site.operation} returned the same nextToken twice.`, {
          awsCode: 'PAGINATION_LOOP',
          operation: site.operation,
          transient: false,
        })
      }
      seen.add(token)
    }
  } while (token !== undefined)
  return all
}
