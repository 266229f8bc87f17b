#!/usr/bin/env node
// Development entry. oclif's development mode prefers TypeScript sources when a TS loader is present
// and falls back to the compiled dist/ otherwise, so `npm run build` first.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
