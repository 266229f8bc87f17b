import {mkdirSync, mkdtempSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {buildIsStale} from './fresh-build.js'

function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'ecsdrain-build-'))
  mkdirSync(join(root, 'src', 'core'), {recursive: true})
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'package.json'), '{}')
  writeFileSync(join(root, 'src', 'core', 'a.ts'), '')
  return root
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds)

describe('the test run rebuilds a stale dist/ (globalSetup)', () => {
  it('is stale with no build, fresh after one, stale again when a source file changes', () => {
    const root = checkout()
    expect(buildIsStale(root)).toBe(true)
    at(join(root, 'package.json'), 1000)
    at(join(root, 'src', 'core', 'a.ts'), 1000)
    writeFileSync(join(root, 'oclif.manifest.json'), '{}')
    at(join(root, 'oclif.manifest.json'), 2000)
    expect(buildIsStale(root)).toBe(false)
    at(join(root, 'src', 'core', 'a.ts'), 3000) // an edit deep in src/ after the build
    expect(buildIsStale(root)).toBe(true)
  })
})
