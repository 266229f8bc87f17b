/**
 * Progress of a hook-stack deploy or delete, from CloudFormation's stack events. In a terminal: listr2,
 * one task per resource of the change set, each ending with its COMPLETE or FAILED event. Elsewhere (a
 * pipe, CI): one plain line per event on stderr. Under --json: nothing (stdout carries the result only).
 */
import type {StackChange} from '../core/stack-port.js'
import type {DeployEvent} from '../hook/deploy.js'
import {loadStderrListr} from './listr-stderr.js'

export interface StackProgress {
  onEvent(e: DeployEvent): void
  /** Resolves once the display has settled. */
  close(): Promise<void>
}

export function changeLines(changes: StackChange[]): string[] {
  const sign: Record<string, string> = {Add: '+', Modify: '~', Remove: '-'}
  return changes.map(
    (c) =>
      `  ${sign[c.action] ?? '?'} ${c.action.padEnd(6)} ${c.logicalId} (${c.resourceType})` +
      (c.replacement === 'True' ? ' [replacement]' : ''),
  )
}

export function eventLine(e: DeployEvent): string | null {
  if (e.type === 'change-set') return null
  if (e.type === 'stack') return `stack: ${e.status}${e.reason ? ` (${e.reason})` : ''}`
  return `${e.logicalId} (${e.resourceType}): ${e.status}${e.reason ? `: ${e.reason}` : ''}`
}

export function plainStackProgress(write: (line: string) => void): StackProgress {
  return {
    onEvent(e) {
      const line = eventLine(e)
      if (line) write(line)
    },
    close: async () => {},
  }
}

export const silentProgress: StackProgress = {onEvent() {}, close: async () => {}}

/** Nothing under --json; listr2 when stderr is a terminal; plain lines otherwise. */
export function stackProgressFor(o: {json: boolean; write: (line: string) => void}): StackProgress {
  if (o.json) return silentProgress
  return process.stderr.isTTY ? listrStackProgress(process.stderr) : plainStackProgress(o.write)
}

/** The one-line verdict at the end of install or uninstall. */
export function outcomeLine(r: {stackName: string; outcome: string}): string {
  const said: Record<string, string> = {
    created: `Stack ${r.stackName} created: the hook is live.`,
    updated: `Stack ${r.stackName} updated.`,
    unchanged: `Stack ${r.stackName} is up to date: no change.`,
    cancelled: 'Cancelled: nothing was changed.',
    deleted: `Stack ${r.stackName} deleted: the hook is gone.`,
    absent: `No stack ${r.stackName}: nothing to delete.`,
  }
  return said[r.outcome] ?? `Stack ${r.stackName}: ${r.outcome}`
}

interface Slot {
  resolve(outcome: {ok: boolean; text: string}): void
  done: Promise<{ok: boolean; text: string}>
  task?: {title: string}
}

/** listr2 tasks per resource, created when the change set is known. */
export function listrStackProgress(stream: NodeJS.WriteStream): StackProgress {
  const slots = new Map<string, Slot>()
  let running: Promise<unknown> = Promise.resolve()
  const slot = (id: string): Slot => {
    let s = slots.get(id)
    if (!s) {
      let resolve!: Slot['resolve']
      const done = new Promise<{ok: boolean; text: string}>((r) => (resolve = r))
      s = {resolve, done}
      slots.set(id, s)
    }
    return s
  }
  const start = async (ids: string[]) => {
    const {Listr, options} = await loadStderrListr(stream)
    const list = new Listr(
      ids.map((id) => ({
        title: `${id}: waiting`,
        task: async (_ctx: unknown, task: {title: string}) => {
          const s = slot(id)
          s.task = task
          const result = await s.done
          task.title = result.text
          if (!result.ok) throw new Error(result.text)
        },
      })),
      options,
    )
    await list.run().catch(() => undefined)
  }
  // The task list starts with the first stack event, not with the change set: the confirmation prompt
  // comes in between, and must not be drawn over.
  let ids: string[] | null = null
  return {
    onEvent(e) {
      if (e.type === 'change-set') {
        ids = e.changes.map((c) => c.logicalId)
        return
      }
      if (ids) {
        running = start(ids)
        ids = null
      }
      if (e.type === 'stack') {
        // The stack is done: settle any resource that never got its own final event (e.g. after a rollback).
        if (/(_COMPLETE|_FAILED)$/.test(e.status) && !/CLEANUP/.test(e.status)) {
          for (const [id, s] of slots)
            s.resolve({ok: !/FAILED|ROLLBACK/.test(e.status), text: `${id}: ${e.status}`})
        }
        return
      }
      const s = slot(e.logicalId)
      const text = `${e.logicalId} (${e.resourceType}): ${e.status}${e.reason ? `: ${e.reason}` : ''}`
      if (s.task) s.task.title = text
      if (/_COMPLETE$/.test(e.status)) s.resolve({ok: true, text})
      else if (/_FAILED$/.test(e.status)) s.resolve({ok: false, text})
    },
    close: async () => {
      await running
    },
  }
}
