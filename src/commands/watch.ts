import type {EmbeddedRegion} from '../aws/embedded-region.js'
import {AwsCommand} from '../cli/aws-command.js'
import {watchFlags} from '../cli/watch-flags.js'
import {systemClock} from '../core/clock.js'
import {resolveCluster} from '../core/cluster.js'
import {ExitCode} from '../core/errors.js'
import type {Clock} from '../core/ports.js'
import {createLinePrinter} from '../render/watch-lines.js'
import {startWatchSession, type WatchSession} from '../core/watch/session.js'

export default class Watch extends AwsCommand<typeof Watch> {
  static override summary =
    'The live TUI for rolling updates: instances, services, MemoryReservation, events; drain from it.'
  static override description = `Refreshes a ClusterSnapshot every --interval and shows it: instances with a countdown on every pending lifecycle action, services (marked below their minimum healthy count), the CloudWatch MemoryReservation Minimum per minute for the last 35 minutes with every 0% minute flagged as an outage, and events.

Keys: arrows move, Enter an instance's details (its tasks, and why each is still not STOPPED), / filter (id, AZ, status, lifecycle state), o/O sort by column / reverse, e events in full, s events by source, d drain (asks first), u undrain (asks first), c complete (checks for live tasks before asking), h heartbeat, ? help, q quit. --readonly shows and takes no key that changes anything.

Without a TTY it prints one line per refresh; with --json one NDJSON snapshot per refresh. --sim runs it against the embedded simulated region: no AWS account needed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --sim',
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --interval 10s --auto-drain',
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --readonly',
    '<%= config.bin %> <%= command.id %> --cluster todobackend-cluster --json | jq -c .memoryReservation',
  ]

  static override flags = watchFlags

  static override enableJsonFlag = true

  private simRegion?: EmbeddedRegion

  public async run(): Promise<void> {
    // A session runs for hours: keep its heap near what it holds (src/cli/heap.ts says why). Imported here,
    // as node:v8 costs every other command a few ms.
    const {collectGarbageEagerly} = await import('../cli/heap.js')
    collectGarbageEagerly()
    const f = this.flags
    if (f.sim) {
      const {startEmbeddedRegion} = await import('../aws/embedded-region.js')
      const scenario = f['sim-scenario']
      this.simRegion = await startEmbeddedRegion({
        scenario,
        speed: f['sim-speed'],
        rolloutEveryMs: f['sim-rollout-every'],
      })
    }
    try {
      await this.watch(this.simRegion?.clock ?? systemClock)
    } finally {
      await this.simRegion?.close()
    }
  }

  /** With --sim, every client goes to the embedded region, with its dummy credentials (it accepts any). */
  protected override awsOptions() {
    const base = super.awsOptions()
    const sim = this.simRegion
    if (!sim) return base
    return {...base, endpointUrl: sim.endpoint, region: sim.region, credentials: sim.credentials}
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
      readonly: f.readonly,
      callStats,
      tickMs: tty ? 1000 : undefined,
      onUpdate: printer?.onUpdate,
    })
    const unsubscribe = printer
      ? session.store.subscribe(() => printer.onStoreChange(session.store))
      : () => {}
    let midDrain: string[] = []
    try {
      await (tty ? runTui(session) : untilSignal())
    } finally {
      unsubscribe()
      midDrain = await session.stop()
    }
    for (const id of midDrain) {
      // Written directly: under --json oclif's logToStderr is silent, and this must never be lost.
      process.stderr.write(
        this.simRegion
          ? // The embedded region ends with this process: no command could resume or undo anything in it.
            `${id} was draining in the embedded sim, which stopped with watch (nothing is left to resume). Run \`ecsdrain watch --sim\` again for a fresh demo; to keep a sim across runs, start \`ecsdrain sim --hook manual\` and watch it with \`ecsdrain watch --endpoint-url <its endpoint>\`.\n`
          : `${id} was left DRAINING (nothing completed). Resume: ecsdrain drain ${id} --cluster ${cluster.clusterName}; undo: ecsdrain undrain ${id}\n`,
      )
    }
    // Quitting mid-drain interrupted it: the documented exit code for "stopped, state left as printed".
    if (midDrain.length > 0) this.exit(ExitCode.interrupted)
  }
}

/** Until q or Ctrl-C in the TUI (or SIGTERM). ink and React are loaded here, and only here. */
async function runTui(session: WatchSession): Promise<void> {
  // React's development build renders several times slower and holds far more memory.
  process.env.NODE_ENV ??= 'production'
  const {runTuiUntilQuit} = await import('../ui/tui.js')
  await runTuiUntilQuit(session)
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
