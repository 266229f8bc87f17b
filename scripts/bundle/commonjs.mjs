/**
 * What scripts/build-cli.mjs checks and rewrites in each CommonJS output, which bin/load.js compiles with
 * vm.Script.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {isBuiltin} from 'node:module'

import {parse} from 'acorn'

/** A CommonJS file must not require an ES module package (see ESM_PROGRAMS); a dynamic import may load one. */
export function checkRequires(file, output) {
  for (const {path, kind, external} of output.imports) {
    if (!external || kind === 'dynamic-import' || isBuiltin(path) || path.startsWith('.')) continue
    const name = path.match(/^(@[^/]+\/)?[^/]+/)[0]
    const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'))
    if (pkg.type === 'module')
      throw new Error(`${file} requires ${path}, an ES module: build that program as one (ESM_PROGRAMS)`)
  }
}

/**
 * bin/load.js compiles a CommonJS file with vm.Script, whose `import()` Node 20 serves only behind
 * --experimental-vm-modules (and with a code cache, not at all). So each `import(` of the output (oclif
 * importing an ES module file, `report` importing Plot) becomes a call of `__imp_`, which bin/load.js passes
 * in and which imports from an ES module of its own. The name has the keyword's length, so that the source
 * map still holds; the build fails if the output already uses it.
 */
const IMPORT = '__imp_'
export function routeDynamicImports(file) {
  const source = readFileSync(file, 'utf8')
  if (source.includes(IMPORT)) throw new Error(`${file} already holds ${IMPORT}`)
  const at = []
  const visit = (node) => {
    if (node.type === 'ImportExpression') at.push(node.start)
    for (const value of Object.values(node))
      for (const child of Array.isArray(value) ? value : [value])
        if (child && typeof child.type === 'string') visit(child)
  }
  visit(parse(source, {ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true}))
  let out = source
  for (const start of at) out = out.slice(0, start) + IMPORT + out.slice(start + 'import'.length)
  writeFileSync(file, out)
}
