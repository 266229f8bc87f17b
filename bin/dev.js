#!/usr/bin/env node
// Development entry: the same bundle as bin/run.js (`npm run build` first), chosen the same way, in oclif's
// development mode (its debug output and development-only warnings).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
import {load, programFor} from './load.js'

const program = programFor(process.argv.slice(2))
const {exports} = await load(program)

await exports.run({development: true, program})
