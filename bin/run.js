#!/usr/bin/env node
// The SDK warns on Node below 22; the tool supports 20.19, so the warning is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
// The bundled CLI (`npm run build`): bin/load.js says which file a run loads, and how. (It loads no SDK, so
// that its import, which runs first, need not wait for the line above.)
import {load, programFor} from './load.js'

const program = programFor(process.argv.slice(2))
const {exports} = await load(program)

await exports.run({program})
