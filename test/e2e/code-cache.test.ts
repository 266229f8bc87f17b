/**
 * The V8 code cache beside each CommonJS file of the bundle (bin/load.js, scripts/code-cache.mjs) can only
 * make a start faster: a copy of the built package whose cache is missing, damaged or another file's prints
 * the same help, exits 0, and compiles the source itself.
 */
import {copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {traceOf} from '../helpers/trace.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

let copy: string
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'ecsdrain-cache-'))
  for (const part of ['bin', 'dist', 'package.json', 'oclif.manifest.json'])
    cpSync(join(ROOT, part), join(copy, part), {recursive: true})
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
})
afterAll(() => {
  if (copy) rmSync(copy, {recursive: true, force: true})
})

/** `instances --help` of the package at root: its output, and how the program was compiled. */
async function help(root: string): Promise<{stdout: string; scripts: string[]}> {
  const bin = join(root, 'bin', 'run.js')
  const {stdout, scripts} = await traceOf(['instances', '--help'], {bin, env: {NO_COLOR: '1'}})
  return {stdout, scripts: scripts.map((l) => l.split(' ')[0]!)}
}

describe('the code cache', () => {
  const cacheIn = (root: string) => join(root, 'dist', 'bundle', 'program-instances.cjs.cache')

  it('a missing, damaged or mismatched cache gives the same help, compiled without it', async () => {
    const built = await help(ROOT)
    expect(built.scripts).toEqual(['vm:accepted'])
    expect(built.stdout).toContain('USAGE\n  $ ecsdrain instances')

    rmSync(cacheIn(copy))
    expect(await help(copy)).toEqual({stdout: built.stdout, scripts: ['vm:none']})

    writeFileSync(cacheIn(copy), Buffer.alloc(4096, 0x5a))
    expect(await help(copy)).toEqual({stdout: built.stdout, scripts: ['vm:rejected']})

    // Another file's cache: V8 sees that the source is not the one it was made from.
    copyFileSync(join(copy, 'dist', 'bundle', 'run.cjs.cache'), cacheIn(copy))
    expect(await help(copy)).toEqual({stdout: built.stdout, scripts: ['vm:rejected']})
  })
})
