#!/usr/bin/env node
// The SDK warns on Node below 22; the tool supports 20.19, so the warning is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
// The bundled CLI (`npm run build`): oclif and our code in a few ESM files, not hundreds of CommonJS ones.
const {run} = await import('../dist/bundle/run.js')

await run()
