/**
 * The AWS SDK packages, loaded with `require` rather than `import`.
 *
 * Why: the SDK ships CommonJS (dist-cjs) to Node. When ESM code imports a CommonJS file, Node 20 first
 * lexes its whole source to find the named exports and sniffs its module format, and the SDK's client
 * files are large: profiling `ecsdrain instances` showed that work at about a quarter of the CLI's own CPU
 * time. `require` loads the very same module objects (same classes, same prototypes, so aws-sdk-client-mock
 * still works) without that pass. Types still come from the packages via `typeof import`.
 *
 * In a CommonJS bundle (the hook's Lambda) the global `require` exists and is used; in ESM we make one.
 * Only the client packages go through here: they are what is large, and a bundle leaves them external (the
 * Lambda runtime provides them). The small @smithy helpers stay static imports, so a bundler includes them.
 */
import {createRequire} from 'node:module'

const load: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url)

export type EcsSdk = typeof import('@aws-sdk/client-ecs')
export type AutoScalingSdk = typeof import('@aws-sdk/client-auto-scaling')
export type CloudWatchSdk = typeof import('@aws-sdk/client-cloudwatch')
export type ElbSdk = typeof import('@aws-sdk/client-elastic-load-balancing-v2')
export type SqsSdk = typeof import('@aws-sdk/client-sqs')

let ecs: EcsSdk | undefined
let autoScaling: AutoScalingSdk | undefined
let cloudWatch: CloudWatchSdk | undefined
let elb: ElbSdk | undefined
let sqs: SqsSdk | undefined

/** Each package is loaded on first use, so that a command pays only for the services it calls. */
export const sdk = {
  ecs: (): EcsSdk => (ecs ??= load('@aws-sdk/client-ecs') as EcsSdk),
  autoScaling: (): AutoScalingSdk => (autoScaling ??= load('@aws-sdk/client-auto-scaling') as AutoScalingSdk),
  cloudWatch: (): CloudWatchSdk => (cloudWatch ??= load('@aws-sdk/client-cloudwatch') as CloudWatchSdk),
  elb: (): ElbSdk => (elb ??= load('@aws-sdk/client-elastic-load-balancing-v2') as ElbSdk),
  sqs: (): SqsSdk => (sqs ??= load('@aws-sdk/client-sqs') as SqsSdk),
}
