/**
 * Timestamps arrive in three forms for the same CloudWatch operation: epoch seconds (JSON), CBOR tag 1
 * (decoded to a Date), and ISO 8601 text (Query). The wire layer knows which members are timestamps, so it
 * hands the world a Date in every case; a value that is not a time is left alone for the world to reject.
 */
import {isPlainObject} from './values.js'

const CLOUDWATCH_TIMESTAMP_MEMBERS = new Set(['StartTime', 'EndTime', 'Timestamp'])

function toDate(value: unknown): unknown {
  if (value instanceof Date) return value
  if (typeof value === 'number') return new Date(value * 1000)
  if (typeof value === 'string' && value.trim() !== '') {
    // Query clients may send epoch seconds as text too; otherwise it is ISO 8601.
    const time = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value)
    return Number.isNaN(time) ? value : new Date(time)
  }
  return value
}

export function normalizeCloudWatchTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeCloudWatchTimestamps)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = CLOUDWATCH_TIMESTAMP_MEMBERS.has(key) ? toDate(item) : normalizeCloudWatchTimestamps(item)
  }
  return out
}
