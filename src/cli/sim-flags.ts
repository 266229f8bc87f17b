/**
 * The flags of `ecsdrain sim` and the small helpers around them, kept out of the command so that it stays a
 * thin parse -> start -> wait. Bad values are oclif CLIErrors, which oclif reports with exit 2.
 */
import * as Flags from '@oclif/core/flags'
import * as Errors from '@oclif/core/errors'
import ms from 'ms'

import {FAULT_SYNTAX} from '../sim/faults.js'
import {SCENARIO_NAMES, SCENARIO_SUMMARIES} from '../sim/scenarios/catalog.js'

const positive = (what: string) =>
  Flags.custom<number>({
    parse: async (raw) => {
      const value = Number(raw)
      if (!Number.isFinite(value) || value <= 0)
        throw new Errors.CLIError(`${what} must be a number above 0, got "${raw}".`)
      return value
    },
  })

const duration = Flags.custom<number>({
  parse: async (raw) => {
    const value = ms(raw as ms.StringValue) as number | undefined
    if (value === undefined || !(value > 0))
      throw new Errors.CLIError(`"${raw}" is not a duration: try 10m, 90s or 1h.`)
    return value
  },
})

export const simFlags = {
  host: Flags.string({
    description: 'Address to listen on (loopback only, unless --allow-remote).',
    default: '127.0.0.1',
  }),
  'allow-remote': Flags.boolean({
    description:
      'Serve a non-loopback --host and any Host header. Anyone who can reach it can drive the sim, and the sim runs the Lambda code of the CloudFormation templates it is sent.',
  }),
  port: Flags.integer({
    description: 'Port to listen on; 0 picks a free one.',
    // For scripts and tests that run the documented examples as written, on a port of their own.
    env: 'ECSDRAIN_SIM_PORT',
    default: 4599,
    min: 0,
    max: 65535,
  }),
  scenario: Flags.option({
    options: SCENARIO_NAMES,
    default: 'todobackend',
    description: `The world to start with: ${SCENARIO_NAMES.map((n) => `${n} (${SCENARIO_SUMMARIES[n]})`).join('; ')}.`,
  })(),
  instances: Flags.integer({min: 1, description: 'Container instances (large scenario).'}),
  services: Flags.integer({min: 1, description: 'Services (large scenario).'}),
  'tasks-per-instance': Flags.integer({min: 1, description: 'Tasks per instance (large scenario).'}),
  hook: Flags.option({
    options: ['none', 'manual', 'lambda'] as const,
    default: 'none',
    description:
      'Lifecycle hook on the group: none, manual (instances wait in Terminating:Wait for you), or lambda (the `ecsdrain install` stack, whose Lambda drains them).',
  })(),
  speed: positive('--speed')({
    description: 'Run durations (boot delay, stop timeout, hook timeouts) this many times faster.',
    default: 1,
  }),
  faults: Flags.string({description: `Inject faults by rate. ${FAULT_SYNTAX}`}),
  'faults-seed': Flags.integer({
    description: 'Seed the injected faults: the same seed throttles and fails the same calls in every run.',
    min: 0,
    max: 4_294_967_295,
  }),
  'rollout-every': duration({
    description: 'Start an instance refresh of the scenario group again and again, e.g. 10m.',
  }),
  'sigterm-exit': duration({
    description:
      "How soon the scenario's apps exit after SIGTERM, e.g. 2s. By default they ignore it: ECS waits each container's stopTimeout (AWS's agent default, 30 s) and then sends SIGKILL.",
  }),
  'hook-heartbeat-timeout': Flags.integer({
    min: 30,
    max: 7200,
    description:
      "HeartbeatTimeout in seconds of the scenario's own terminating hook (--hook manual). Default 900, the seed's stack; AWS's default for a new hook is 3600.",
  }),
  'capacity-providers': Flags.boolean({
    description:
      "Put the scenario's groups behind ECS capacity providers with managed scaling, managed termination protection and managed draining (ECS's own terminating hook: a second drainer).",
  }),
  'unhealthy-new-revisions': Flags.boolean({
    description:
      'Tasks of task definitions registered after start fail their health checks, so that a deployment with the circuit breaker fails (and rolls back if asked).',
  }),
}

/** What --allow-remote exposes, printed on stderr whenever it is given (issue 9 item 4). */
export function allowRemoteWarning(host: string, port: number): string {
  return [
    `WARNING: --allow-remote: the sim answers any Host on ${host}:${port}. Anyone who can reach it can drive it,`,
    'and it runs code it is sent: a CloudFormation change set whose template holds an inline Lambda function, once',
    'executed, runs that code on this machine as this user whenever the function is invoked. The sim accepts any',
    'credentials. Browser-sent requests are still refused. Use it only on a network you trust.',
  ].join('\n')
}

/** The AWS defaults the world uses, and what is the sim's own (shown in `sim --help` and the README). */
export const SIM_DEFAULTS_HELP = [
  "AWS's values, in sim time (--speed makes them pass faster; it never shortens them):",
  '- stopTimeout 30 s per container (the agent default) unless the container sets its own; then SIGKILL.',
  '- Target group deregistration delay 300 s (deregistration_delay.timeout_seconds; ModifyTargetGroupAttributes changes it).',
  '- Target health checks every 30 s: a new target is healthy after 1 passing check, unhealthy after 2 failures.',
  '- Task scale-in protection 2 h by default (1 min to 48 h); it holds back scale-ins and deployments, not drains.',
  '- Deployment circuit breaker threshold: half the desired count, at least 3, at most 200.',
  '- Lifecycle hooks: HeartbeatTimeout 30-7200 s (3600 by default), global timeout min(100 x HeartbeatTimeout, 48 h).',
  "- Managed draining: ECS's hook ecs-managed-draining-termination-hook, HeartbeatTimeout 3600 s, up to 48 h.",
  'Not AWS defaults:',
  "- The scenario hook's HeartbeatTimeout is 900 s, the seed's stack (--hook-heartbeat-timeout).",
  "- Durations AWS does not document are the sim's own: EC2 boot to ECS registration 15 s, InService 10 s, task start 3 s, scheduler reaction 1 s, DEPROVISIONING 0.5 s, EC2 shutdown 2 s.",
  '- `watch --sim` starts a rolling update every 3 minutes (--sim-rollout-every), for the demo.',
].join('\n')

/** What the human readiness output tells the operator on stderr, under the `endpoint:` line. */
export function readyHint(
  endpoint: string,
  region: string,
  summary: {clusters: string[]; autoScalingGroups: string[]},
): string {
  return [
    `region: ${region}; clusters: ${summary.clusters.join(', ')}; Auto Scaling groups: ${summary.autoScalingGroups.join(', ')}`,
    'ecsdrain recognises it and needs no AWS set-up at all:',
    `  ecsdrain instances --endpoint-url ${endpoint}      (or export AWS_ENDPOINT_URL=${endpoint})`,
    'Point the AWS CLI or an SDK at it with any credentials:',
    `  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${endpoint} --region ${region} ecs list-clusters`,
    `  export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
    'Stop with Ctrl-C.',
  ].join('\n')
}

/**
 * Resolves with the first SIGINT or SIGTERM. The listeners stay installed (they do not keep the process
 * alive), so that a second signal during shutdown does not fall back to the OS default and kill the process
 * without its exit code.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGINT', () => resolve('SIGINT'))
    process.on('SIGTERM', () => resolve('SIGTERM'))
  })
}
