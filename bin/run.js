#!/usr/bin/env node
// The SDK warns on Node below 22; the tool supports 20.19, so the warning is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
// The bundled CLI (`npm run build`). A run of one of our commands imports that command's program
// (dist/bundle/program-ID.js); every other run imports the whole CLI (src/bundle/run.ts says why).
const id = process.argv[2] ?? ''
const program = new URL(`../dist/bundle/program-${id}.js`, import.meta.url)
const own = /^[a-z]+$/.test(id) && process.getBuiltinModule('node:fs').existsSync(program)
const {run} = await import(own ? program.href : '../dist/bundle/run.js')

await run()
