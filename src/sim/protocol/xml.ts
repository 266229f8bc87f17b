/**
 * The XML of Query replies, written straight from the world's plain output objects: a structure member is
 * `<Name>…</Name>`, a list is `<Name><member>…</member>…</Name>`, a map (named by the caller, since nothing
 * in a plain object tells a map from a structure) is `<Name><entry><key/><value/></entry>…</Name>`,
 * timestamps are ISO 8601, blobs base64, and null or undefined members are left out.
 *
 * Hand-written rather than fast-xml-parser's builder: a DescribeAutoScalingGroups of a 5,000-instance group
 * is ~2 MB of XML, and the builder needed an intermediate copy of the whole tree plus ~3x the time (and most
 * of the sim's peak memory under that call). The format is this small, closed subset of XML.
 */
import {isPlainObject} from './values.js'

const ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'}

export function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text
}

function leafText(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  return escapeXml(String(value))
}

/** `<name>value</name>`; `maps` names the members of this level that are maps. */
function member(name: string, value: unknown, maps?: ReadonlySet<string>): string {
  if (value === undefined || value === null) return ''
  if (maps?.has(name) && isPlainObject(value)) {
    let entries = ''
    for (const key in value) {
      const item = value[key]
      if (item === undefined || item === null) continue
      entries += `<entry><key>${escapeXml(key)}</key><value>${leafText(item)}</value></entry>`
    }
    return `<${name}>${entries}</${name}>`
  }
  return `<${name}>${content(value)}</${name}>`
}

function content(value: unknown): string {
  let out = ''
  if (Array.isArray(value)) {
    for (const item of value) out += member('member', item)
  } else if (isPlainObject(value) && !(value instanceof Uint8Array)) {
    for (const key in value) out += member(key, value[key])
  } else out = leafText(value)
  return out
}

/**
 * `<root xmlns="…"><result>…</result><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></root>`.
 * `result` undefined leaves the result element out (an operation without output); an empty object writes
 * it empty, as AWS does for operations whose output has no members.
 */
export function queryResultXml(
  root: string,
  namespace: string,
  result: {name: string; value: Record<string, unknown>; maps?: ReadonlySet<string>} | undefined,
  requestId: string,
): string {
  let body = ''
  if (result) {
    for (const key in result.value) body += member(key, result.value[key], result.maps)
    body = `<${result.name}>${body}</${result.name}>`
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${escapeXml(namespace)}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${root}>`
  )
}

/** `<ErrorResponse xmlns="…"><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryErrorXml(
  namespace: string,
  error: {type: string; code: string; message: string},
  requestId: string,
): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ErrorResponse xmlns="${escapeXml(namespace)}"><Error><Type>${escapeXml(error.type)}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  )
}
