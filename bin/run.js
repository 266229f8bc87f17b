#!/usr/bin/env node
// The SDK warns on Node below 22; the tool supports 20.19, so the warning is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
