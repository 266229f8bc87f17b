import {UsageError} from './errors.js'

/** An EC2 instance id is `i-` followed by 8 or 17 lowercase hex digits (the old and the current format). */
const EC2_INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/

export function isEc2InstanceId(value: string): boolean {
  return EC2_INSTANCE_ID.test(value)
}

/** Validates every id before any AWS call is made, so a typo never reaches the API. */
export function parseEc2InstanceIds(values: readonly string[]): string[] {
  const bad = values.filter((v) => !isEc2InstanceId(v))
  if (bad.length > 0) {
    throw new UsageError(`Not an EC2 instance id: ${bad.map((b) => JSON.stringify(b)).join(', ')}`, {
      code: 'BAD_INSTANCE_ID',
      suggestion: 'An instance id is i- followed by 8 or 17 lowercase hex digits, e.g. i-0123456789abcdef0.',
    })
  }
  return [...new Set(values)]
}
