/**
 * What `watch` does around its session, kept out of the command so that it stays a thin parse -> start ->
 * wait: where the session is shown (the TUI, or lines), how long it runs, and what is said about drains
 * that quitting left behind.
 */
import type {WatchSession} from '../core/watch/session.js'

/**
 * A live TUI only on a terminal, outside --json and outside CI: in CI (the CI variable set, as is-in-ci reads
 * it) ink draws only its last frame, so a live TUI would stay blank; print one line per refresh there, as
 * product.md asks for CI.
 */
export function wantsTui(json: boolean): boolean {
  return Boolean(process.stdout.isTTY) && !json && !runningInCi()
}

/** Until q or Ctrl-C in the TUI (or SIGTERM). ink and React are loaded here, and only here. */
export async function runTui(session: WatchSession): Promise<void> {
  // React's development build renders several times slower and holds far more memory.
  process.env.NODE_ENV ??= 'production'
  const {runTuiUntilQuit} = await import('../ui/tui.js')
  await runTuiUntilQuit(session)
}

/** Until Ctrl-C or SIGTERM: how long a watch that prints lines runs. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

/** The line for an instance that was mid-drain when watch stopped: how to resume or undo it. */
export function leftDrainingLine(id: string, o: {cluster: string; embedded: boolean}): string {
  return o.embedded
    ? // The embedded region ends with this process: no command could resume or undo anything in it.
      `${id} was draining in the embedded sim, which stopped with watch (nothing is left to resume). Run \`ecsdrain watch --sim\` again for a fresh demo; to keep a sim across runs, start \`ecsdrain sim --hook manual\` and watch it with \`ecsdrain watch --endpoint-url <its endpoint>\`.`
    : `${id} was left DRAINING (nothing completed). Resume: ecsdrain drain ${id} --cluster ${o.cluster}; undo: ecsdrain undrain ${id}`
}

function runningInCi(): boolean {
  const set = (key: string) => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false'
  return set('CI') || set('CONTINUOUS_INTEGRATION')
}
