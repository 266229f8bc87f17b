#!/usr/bin/env node
/**
 * The hook Lambda's size and cold start (build first: `npm run build`).
 * - bundle: the esbuild bundle (dist/hook/lambda.bundle.cjs), the inline ZipFile (Brotli+base64 loader) and
 *   the whole template, against CreateChangeSet's 51,200-byte TemplateBody limit;
 * - cold start: in a fresh Node process each time, the time to load the inline code as Lambda's runtime
 *   would (`require('./index.js')`, with @aws-sdk/* resolved from node_modules as the runtime provides
 *   them), and then the first invocation (Auto Scaling's test message: builds the clients, calls nothing).
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {median} from './lib/common.mjs'

const root = fileURLToPath(new URL('../', import.meta.url))
const {BUNDLE_PATH, loadHandlerCode} = await import(join(root, 'dist/hook/bundle.js'))
const {renderHookTemplate, TEMPLATE_BODY_LIMIT_BYTES} = await import(join(root, 'dist/hook/template.js'))

const bundle = readFileSync(BUNDLE_PATH)
const inline = await loadHandlerCode()
const template = renderHookTemplate({
  cluster: 'todobackend-cluster',
  autoScalingGroupName: 'todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P',
  heartbeatTimeout: 900,
  drainTimeout: 3600,
  handlerCode: inline,
  version: '0.1.0',
})
console.log(`bundle (minified CommonJS):   ${bundle.length} bytes`)
console.log(`inline ZipFile (Brotli+base64): ${Buffer.byteLength(inline)} bytes`)
console.log(
  `template:                     ${Buffer.byteLength(template)} bytes of ${TEMPLATE_BODY_LIMIT_BYTES} allowed`,
)

// Inside the package, so that require('@aws-sdk/...') resolves from node_modules like /var/runtime's.
const dir = mkdtempSync(join(root, 'node_modules', '.ecsdrain-bench-'))
writeFileSync(join(dir, 'index.js'), inline)
const probe = `
const t0 = performance.now()
const m = require(${JSON.stringify(join(dir, 'index.js'))})
const t1 = performance.now()
const event = {Records: [{Sns: {TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: JSON.stringify({Event: 'autoscaling:TEST_NOTIFICATION', AutoScalingGroupName: 'g'})}}]}
console.log = () => {}
m.handler(event, {getRemainingTimeInMillis: () => 900000}).then(() => {
  process.stdout.write(JSON.stringify({load: t1 - t0, invoke: performance.now() - t1}))
})`
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ECS_CLUSTER: 'c',
}
const runs = []
try {
  for (let i = 0; i < 10; i++)
    runs.push(JSON.parse(execFileSync(process.execPath, ['-e', probe], {env, encoding: 'utf8'})))
} finally {
  rmSync(dir, {recursive: true, force: true})
}
const sdkProbe = `const t0 = performance.now(); for (const c of ['@aws-sdk/client-ecs', '@aws-sdk/client-auto-scaling', '@aws-sdk/client-sns']) require(c); process.stdout.write(String(performance.now() - t0))`
const sdk = []
for (let i = 0; i < 10; i++)
  sdk.push(Number(execFileSync(process.execPath, ['-e', sdkProbe], {env, cwd: root, encoding: 'utf8'})))
console.log(
  `cold start, module load (median of ${runs.length}): ${median(runs.map((r) => r.load)).toFixed(1)} ms`,
)
console.log(
  `  of which the three SDK clients alone:    ${median(sdk).toFixed(1)} ms (the runtime's own SDK, loaded at init)`,
)
console.log(`first invocation (test message, median):   ${median(runs.map((r) => r.invoke)).toFixed(1)} ms`)
