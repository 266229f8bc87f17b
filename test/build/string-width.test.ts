/**
 * The printable-ASCII fast path in front of string-width (src/bundle/string-width.ts), which the CLI bundle
 * gives oclif's help: the same width as string-width for every string, and string-width itself is not
 * called for printable ASCII.
 */
import {createRequire} from 'node:module'

import {describe, expect, it, vi} from 'vitest'

import {withAsciiFastPath, type StringWidth} from '../../src/bundle/string-width.js'

// The string-width that oclif's help resolves (4.x, CommonJS), as the bundle's stand-in requires it.
const fromOclif = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))
const stringWidth = fromOclif('string-width') as StringWidth

const SAMPLES = [
  '',
  ' ',
  'Show every container instance of a cluster, joined with its Auto Scaling state.',
  '  -c, --cluster=<value>  [env: ECSDRAIN_CLUSTER] ECS cluster name or ARN',
  '~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./',
  '\u001b[1mUSAGE\u001b[22m',
  'tab\there',
  'line\nbreak',
  'bell\u0007',
  'del\u007f',
  'caf\u00e9',
  '\u2014 an em dash',
  '\u65e5\u672c\u8a9e',
  'emoji \u{1F680}',
  'e\u0301',
]

describe('string-width with the printable-ASCII fast path', () => {
  it('answers as string-width does, for ASCII and for everything else', () => {
    const fast = withAsciiFastPath(stringWidth)
    for (const s of SAMPLES) expect(fast(s), JSON.stringify(s)).toBe(stringWidth(s))
    for (let code = 0; code < 0x80; code++) {
      const s = `a${String.fromCharCode(code)}b`
      expect(fast(s), `code ${code}`).toBe(stringWidth(s))
    }
  })

  it('does not call string-width for printable ASCII, and does for the rest', () => {
    const real = vi.fn(stringWidth)
    const fast = withAsciiFastPath(real)
    expect(fast('  --json  Format output as json.')).toBe(32)
    expect(real).not.toHaveBeenCalled()
    fast('\u001b[1mUSAGE\u001b[22m')
    fast('tab\there')
    expect(real).toHaveBeenCalledTimes(2)
  })
})
