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

/** JSON protocols: timestamps are epoch seconds (with milliseconds as a fraction), blobs are base64. */
export function toJsonValue(value: unknown): unknown {
  return mapValues(value, (v) => {
    if (v instanceof Date) return v.getTime() / 1000
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
    return v
  })
}

/** ISO 8601 with milliseconds, as the Query protocols write timestamps. */
export function isoTimestamp(date: Date): string {
  return date.toISOString()
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}
