#!/usr/bin/env node
// Development entry: the same bundle as bin/run.js (`npm run build` first), chosen the same way, in oclif's
// development mode (its debug output and development-only warnings).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const id = process.argv[2] ?? ''
const program = new URL(`../dist/bundle/program-${id}.js`, import.meta.url)
const own = /^[a-z]+$/.test(id) && process.getBuiltinModule('node:fs').existsSync(program)
const {run} = await import(own ? program.href : '../dist/bundle/run.js')

await run({development: true})
