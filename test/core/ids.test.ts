import {describe, expect, it} from 'vitest'

import {isEc2InstanceId, parseEc2InstanceIds} from '../../src/core/ids.js'

describe('EC2 instance ids: i- and 8 or 17 lowercase hex digits', () => {
  it.each(['i-0123abcd', 'i-0123456789abcdef0'])('accepts %s', (id) => {
    expect(isEc2InstanceId(id)).toBe(true)
  })

  it.each([
    ['trailing junk', 'i-0123456789abcdef0x'],
    ['a trailing newline', 'i-0123456789abcdef0\n'],
    ['leading junk', ' i-0123abcd'],
    ['uppercase hex', 'i-0123456789ABCDEF0'],
    ['uppercase hex, old format', 'i-0123ABCD'],
    ['9 digits', 'i-0123abcde'],
    ['16 digits', 'i-0123456789abcdef'],
    ['18 digits', 'i-0123456789abcdef01'],
    ['7 digits', 'i-0123abc'],
    ['no prefix', '0123456789abcdef0'],
    ['a non-hex letter', 'i-0123456789abcdefg'],
    ['an ARN', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0'],
  ])('refuses %s', (_why, id) => {
    expect(isEc2InstanceId(id)).toBe(false)
  })

  it('names every bad id in one usage error (exit 2) and de-duplicates the good ones', () => {
    expect(parseEc2InstanceIds(['i-0123abcd', 'i-0123abcd', 'i-0123456789abcdef0'])).toEqual([
      'i-0123abcd',
      'i-0123456789abcdef0',
    ])
    let error: unknown
    try {
      parseEc2InstanceIds(['i-0123abcd', 'i-XYZ', 'i-0123456789abcdef'])
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({
      exitCode: 2,
      code: 'BAD_INSTANCE_ID',
      message: 'Not an EC2 instance id: "i-XYZ", "i-0123456789abcdef"',
    })
  })
})
