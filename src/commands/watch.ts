import * as Flags from '@oclif/core/flags'

import {AwsCommand} from '../cli/aws-command.js'
import {durationFlag} from '../cli/duration.js'
import {clusterFlag} from '../cli/flags.js'
import {systemClock} from '../core/clock.js'
import {resolveCluster} from '../core/cluster.js'
import {ExitCode} from '../core/errors.js'
import type {Clock} from '../core/ports.js'
import {createLinePrinter} from '../render/watch-lines.js'
import {startWatchSession, type WatchSession} from '../ui/session.js'

export default class Watch extends AwsCommand<typeof Watch> {
  static override summary =
    'The live TUI for rolling updates: instances, services, MemoryReservation, events; drain from it.'
  static override description = `Refreshes a ClusterSnapshot every --interval and shows it: instances with a countdown on every pending lifecycle action, services (red below their minimum healthy count), the CloudWatch MemoryReservation Minimum per minute for the last 35 minutes with every 0% minute flagged as an outage, and events. Keys: arrows move, d drain (asks first), u undrain, c complete (refused while tasks run), h heartbeat, ? help, q quit.

Without a TTY it prints one line per refresh; with --json one NDJSON snapshot per refresh. --sim runs it against the embedded simulated region: no AWS account needed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --sim',
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --interval 10s --auto-drain',
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --json | jq -c .memoryReservation',
  ]

  static override flags = {
    cluster: clusterFlag,
    interval: durationFlag({
      name: 'interval',
      description: 'Time between refreshes.',
      default: '5s',
      minMs: 100,
    }),
    'auto-drain': Flags.boolean({
      description: 'Drain and complete every instance that enters Terminating:Wait.',
    }),
    sim: Flags.boolean({
      description: 'Run against an embedded simulated region (a rolling update every few minutes).',
      exclusive: ['endpoint-url', 'profile'],
    }),
    'sim-scenario': Flags.option({
      options: ['todobackend', 'large'] as const,
      default: 'todobackend',
      description: 'The simulated world (with --sim).',
    })(),
    'sim-rollout-every': durationFlag({
      name: 'sim-rollout-every',
      description: 'Start a simulated rolling update this often (with --sim).',
      default: '3m',
      minMs: 1000,
    }),
    'sim-speed': Flags.integer({
      min: 1,
      max: 100,
      default: 1,
      description: 'Run the simulated clock this many times faster (with --sim).',
    }),
  }

  static override enableJsonFlag = true

  private simEndpoint?: {endpoint: string; region: string}

  public async run(): Promise<void> {
    // A session runs for hours: keep its heap near what it holds (src/cli/heap.ts says why). Imported here,
    // as node:v8 costs every other command a few ms.
    const {collectGarbageEagerly} = await import('../cli/heap.js')
    collectGarbageEagerly()
    const f = this.flags
    let closeSim = async () => {}
    let clock: Clock = systemClock
    if (f.sim) {
      const {startSim} = await import('../sim/index.js')
      const scenario = f['sim-scenario']
      const sim = await startSim({
        scenario,
        hook: 'manual',
        port: 0,
        speed: f['sim-speed'],
        rolloutEveryMs: f['sim-rollout-every'],
        ...(scenario === 'large' ? {instances: 1000, tasksPerInstance: 10} : {}),
      })
      this.simEndpoint = {endpoint: sim.endpoint, region: sim.region}
      closeSim = () => sim.close()
      // Countdowns and metric windows follow the sim's clock, which may run faster than the wall clock.
      clock = {...systemClock, now: () => sim.clock.now()}
    }
    try {
      await this.watch(clock)
    } finally {
      await closeSim()
    }
  }

  /** With --sim, every client goes to the embedded region, with dummy credentials (it accepts any). */
  protected override awsOptions() {
    const base = super.awsOptions()
    if (!this.simEndpoint) return base
    const credentials = {accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'simulated'}
    return {...base, endpointUrl: this.simEndpoint.endpoint, region: this.simEndpoint.region, credentials}
  }

  private async watch(clock: Clock): Promise<void> {
    const f = this.flags
    const aws = await this.aws()
    const cluster = await resolveCluster(aws.ecs, f.cluster)
    const options = this.awsOptions()
    // In CI (the CI variable set, as is-in-ci reads it) ink draws only its last frame, so a live TUI would
    // stay blank: treat it like a pipe and print one line per refresh, as product.md asks for CI.
    const tty = Boolean(process.stdout.isTTY) && !this.jsonEnabled() && !runningInCi()
    const callStats = () => aws.ledger.summary()
    const printer = tty ? null : createLinePrinter({json: this.jsonEnabled(), callStats})
    const session = startWatchSession({
      ports: aws,
      cluster,
      location: options.endpointUrl ?? options.region ?? process.env.AWS_REGION ?? 'default region',
      clock,
      intervalMs: f.interval,
      autoDrain: f['auto-drain'],
      callStats,
      tickMs: tty ? 1000 : undefined,
      onUpdate: printer?.onUpdate,
    })
    const unsubscribe = printer
      ? session.store.subscribe(() => printer.onStoreChange(session.store))
      : () => {}
    let midDrain: string[] = []
    try {
      await (tty ? this.runTui(session) : untilSignal())
    } finally {
      unsubscribe()
      midDrain = await session.stop()
    }
    for (const id of midDrain) {
      // Written directly: under --json oclif's logToStderr is silent, and this must never be lost.
      process.stderr.write(
        this.simEndpoint
          ? // The embedded region ends with this process: no command could resume or undo anything in it.
            `${id} was draining in the embedded sim, which stopped with watch (nothing is left to resume). Run \`ecsdrain watch --sim\` again for a fresh demo; to keep a sim across runs, start \`ecsdrain sim --hook manual\` and watch it with \`ecsdrain watch --endpoint-url <its endpoint>\`.\n`
          : `${id} was left DRAINING (nothing completed). Resume: ecsdrain drain ${id} --cluster ${cluster.clusterName}; undo: ecsdrain undrain ${id}\n`,
      )
    }
    // Quitting mid-drain interrupted it: the documented exit code for "stopped, state left as printed".
    if (midDrain.length > 0) this.exit(ExitCode.interrupted)
  }

  /** Until q or Ctrl-C in the TUI (or SIGTERM). ink and React are loaded here, and only here. */
  private async runTui(session: WatchSession): Promise<void> {
    // React's development build renders several times slower and holds far more memory.
    process.env.NODE_ENV ??= 'production'
    const {runTui} = await import('../ui/tui.js')
    const tui = runTui({store: session.store, runner: session.runner})
    const onSignal = () => tui.quit()
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
    await tui.done
    process.removeListener('SIGTERM', onSignal)
    process.removeListener('SIGINT', onSignal)
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

function runningInCi(): boolean {
  const set = (key: string) => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false'
  return set('CI') || set('CONTINUOUS_INTEGRATION')
}
