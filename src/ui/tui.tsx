/**
 * Mounts the TUI. Loaded with a dynamic import by `watch` only, so that no other command pays for ink and
 * React. It draws on the terminal's alternate screen and gives the operator's screen back on the way out,
 * however the TUI ends (q, Ctrl-C, SIGTERM, an error).
 */
import {render} from 'ink'
import React from 'react'

import type {ActionRunner} from '../core/watch/actions.js'
import type {DetailsController} from '../core/watch/details-follower.js'
import {App} from './components/App.js'
import type {Store} from '../core/watch/store.js'

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H'
const LEAVE_ALT_SCREEN = '\u001B[?1049l'

export interface TuiHandle {
  /** Resolves when the operator quits (q or Ctrl-C) or quit() is called. */
  done: Promise<void>
  quit(): void
}

export function runTui(opts: {
  store: Store
  runner: ActionRunner
  details: DetailsController
  stdout?: NodeJS.WriteStream
}): TuiHandle {
  const stdout = opts.stdout ?? process.stdout
  stdout.write(ENTER_ALT_SCREEN)
  const restore = () => stdout.write(LEAVE_ALT_SCREEN)
  // Belt and braces: if the process dies without unmounting, the shell still gets its screen back.
  process.once('exit', restore)
  const app = render(<App store={opts.store} runner={opts.runner} details={opts.details} />, {
    stdout,
    exitOnCtrlC: true,
    patchConsole: true,
  })
  const done = app
    .waitUntilExit()
    .catch(() => undefined)
    .then(() => {
      app.cleanup()
      restore()
      process.removeListener('exit', restore)
    })
  return {done, quit: () => app.unmount()}
}

/**
 * Runs the TUI until the operator quits (q, Ctrl-C) or the process gets SIGINT/SIGTERM; what `watch` awaits.
 */
export async function runTuiUntilQuit(session: {
  store: Store
  runner: ActionRunner
  details: DetailsController
}): Promise<void> {
  const tui = runTui(session)
  const onSignal = () => tui.quit()
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  await tui.done
  process.removeListener('SIGTERM', onSignal)
  process.removeListener('SIGINT', onSignal)
}
