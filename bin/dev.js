#!/usr/bin/env node
// Development entry: the same bundle as bin/run.js (`npm run build` first), in oclif's development mode
// (its debug output and development-only warnings).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const {run} = await import('../dist/bundle/run.js')

await run({development: true})
