/**
 * Value conversions shared by the codecs. The world answers with plain objects that may hold Dates (for
 * timestamps), Uint8Arrays (for blobs) and undefined members; each protocol writes those differently, and
 * none of them writes a null or undefined member at all.
 */

export type Leaf = string | number | boolean | Date | Uint8Array

/** Returns a copy with undefined and null members dropped and each leaf mapped by `leaf`. */
export function mapValues(value: unknown, leaf: (v: Leaf) => unknown): unknown {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date || value instanceof Uint8Array) return leaf(value)
  if (Array.isArray(value)) {
    const out: unknown[] = []
    for (const item of value) {
      const mapped = mapValues(item, leaf)
      if (mapped !== undefined) out.push(mapped)
    }
    return out
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const mapped = mapValues(item, leaf)
      if (mapped !== undefined) out[key] = mapped
    }
    return out
  }
  return leaf(value as Leaf)
}

/**
 * JSON protocols: timestamps are epoch seconds (with milliseconds as a fraction); undefined members are left
 * out. A DescribeContainerInstances of 100 instances is ~170 KB of JSON: a replacer function or a converted
 * copy makes JSON.stringify 5-10 times slower, which was most of the server's time for that call. So Dates
 * are written by swapping Date#toJSON for the duration of this synchronous call (nothing else can run in
 * between), and JSON.stringify keeps its fast path. No JSON-protocol output of the sim carries a blob.
 */
export function toJsonText(value: unknown): string {
  const isoToJson = Object.getOwnPropertyDescriptor(Date.prototype, 'toJSON')!
  Object.defineProperty(Date.prototype, 'toJSON', {
    ...isoToJson,
    value: function (this: Date) {
      return this.getTime() / 1000
    },
  })
  try {
    return JSON.stringify(value ?? {})
  } finally {
    Object.defineProperty(Date.prototype, 'toJSON', isoToJson)
  }
}

/** ISO 8601 with milliseconds, as the Query protocols write timestamps. */
export function isoTimestamp(date: Date): string {
  return date.toISOString()
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}
