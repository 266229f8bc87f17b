/**
 * package.json's dependencies against what src/ loads at run time. The CLI bundle leaves every package
 * external except @oclif/core and its own dependencies (scripts/build-cli.mjs), so a package that src/
 * imports must be a production dependency, or `npm install -g` of the tarball breaks; and a production
 * dependency that nothing loads is weight every user installs.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {builtinModules} from 'node:module'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  oclif: {plugins?: string[]}
}

/** Packages loaded only when developing: src/hook/bundle.ts bundles the Lambda in memory without a build. */
const DEVELOPMENT_ONLY = new Set(['esbuild'])

/** The package of every module specifier src/ loads at run time (type-only imports are erased). */
function runtimePackages(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const dir = join(ROOT, 'src')
  for (const file of readdirSync(dir, {recursive: true}) as string[]) {
    if (!/\.tsx?$/.test(file)) continue
    const text = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/^import type .*$/gm, '')
      .replace(/typeof import\('[^']+'\)/g, '')
    const specifiers = [
      ...text.matchAll(/^(?:import|export) [^'"]*?from '([^']+)'/gm),
      ...text.matchAll(/^import '([^']+)'/gm),
      ...text.matchAll(/\bimport\('([^']+)'\)/g),
      // require(...), createRequire(...)(...) and src/aws/sdk.ts's load(...)
      ...text.matchAll(/(?:\brequire|\)|\bload)\(\s*'([^'./][^']*)'/g),
    ].map((m) => m[1]!)
    for (const s of specifiers) {
      if (s.startsWith('.') || s.startsWith('node:') || builtinModules.includes(s)) continue
      const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!
      found.set(name, [...(found.get(name) ?? []), file])
    }
  }
  return found
}

describe('package.json dependencies', () => {
  const used = runtimePackages()

  it('finds the packages src/ loads, through import, dynamic import and require', () => {
    expect(used.get('@oclif/core')).toBeDefined()
    expect(used.get('ink')).toBeDefined()
    expect(used.get('@aws-sdk/client-ecs')).toContain('aws/sdk.ts')
    expect(used.get('@smithy/core')).toContain('sim/protocol/cbor.ts')
  })

  it('every package src/ loads at run time is a production dependency', () => {
    const missing = [...used.keys()].filter((name) => !pkg.dependencies[name] && !DEVELOPMENT_ONLY.has(name))
    expect(missing, `imported by src/ but not in dependencies: ${missing.join(', ')}`).toEqual([])
  })

  it('every production dependency is loaded by src/ or is an oclif plugin', () => {
    const plugins = new Set(pkg.oclif.plugins ?? [])
    const unused = Object.keys(pkg.dependencies).filter((name) => !used.has(name) && !plugins.has(name))
    expect(unused, `in dependencies but never loaded by src/: ${unused.join(', ')}`).toEqual([])
  })
})
