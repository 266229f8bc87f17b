import {SimError} from '../types.js'

/**
 * Input coercion for handlers. awsQuery delivers every scalar as a string, the JSON protocols deliver real
 * numbers and booleans; handlers accept both. `errorCode` is the service's own validation error code.
 */
export type Input = Record<string, unknown>

export function str(input: Input, name: string): string | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  throw new SimError('ValidationError', `Invalid value for parameter ${name}`)
}

export function num(input: Input, name: string, errorCode: string): number | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') return undefined
  const n = typeof v === 'number' ? v : Number(v)
  if (!Number.isFinite(n)) throw new SimError(errorCode, `Invalid value ${String(v)} for parameter ${name}`)
  return n
}

export function bool(input: Input, name: string): boolean | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'boolean') return v
  return String(v).toLowerCase() === 'true'
}

/** A timestamp as epoch seconds (number or numeric string), an ISO 8601 string or a Date; returns ms. */
export function time(input: Input, name: string, errorCode: string): number | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') return undefined
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'number') return v * 1000
  const s = String(v)
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000
  const t = Date.parse(s)
  if (Number.isNaN(t)) throw new SimError(errorCode, `The parameter ${name} must be a timestamp.`)
  return t
}

export function list<T = unknown>(input: Input, name: string): T[] | undefined {
  const v = input[name]
  if (v === undefined || v === null) return undefined
  if (Array.isArray(v)) return v as T[]
  // A query list with one member may arrive unwrapped from some decoders.
  return [v as T]
}

export function obj(input: Input, name: string): Input | undefined {
  const v = input[name]
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : undefined
}

/** Opaque page tokens: the sequence number of the last item returned, so deletions never skip items. */
export function encodeToken(lastSeq: number): string {
  return Buffer.from(JSON.stringify({after: lastSeq})).toString('base64')
}

export function decodeToken(token: string | undefined, errorCode: string): number {
  if (!token) return -1
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {after?: unknown}
    if (typeof parsed.after === 'number') return parsed.after
  } catch {
    // fall through to the error AWS gives for a token it did not issue
  }
  throw new SimError(errorCode, 'The specified nextToken is invalid.')
}

/**
 * Pages items (each with a seq) after the token's position: items come in ascending seq order, or in
 * descending order (newest first) when `descending` is set.
 */
export function page<T extends {seq: number}>(
  items: Iterable<T>,
  token: string | undefined,
  limit: number,
  errorCode: string,
  descending = false,
): {items: T[]; nextToken?: string} {
  const after = decodeToken(token, errorCode)
  const out: T[] = []
  let more = false
  for (const item of items) {
    if (after >= 0 && (descending ? item.seq >= after : item.seq <= after)) continue
    if (out.length === limit) {
      more = true
      break
    }
    out.push(item)
  }
  const last = out[out.length - 1]
  return more && last ? {items: out, nextToken: encodeToken(last.seq)} : {items: out}
}
