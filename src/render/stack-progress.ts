/**
 * Progress of a hook-stack deploy or delete, from CloudFormation's stack events. In a terminal: listr2,
 * one task per resource of the change set, each ending with its COMPLETE or FAILED event. Elsewhere (a
 * pipe, CI): one plain line per event on stderr. Under --json: nothing (stdout carries the result only).
 */
import {EcsdrainError, ExitCode} from '../core/errors.js'
import type {DeployEvent, DeployResult} from '../core/stack/deploy.js'
import type {StackChange} from '../core/stack/port.js'
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

/**
 * Nothing under --json; else the change set as lines (before the question whether to execute it), then
 * listr2 when stderr is a terminal, plain lines otherwise.
 */
export function stackProgressFor(o: {json: boolean; write: (line: string) => void}): StackProgress {
  if (o.json) return silentProgress
  const inner = process.stderr.isTTY ? listrStackProgress(process.stderr) : plainStackProgress(o.write)
  return {
    onEvent(e) {
      if (e.type === 'change-set')
        o.write(`Change set (${e.creating ? 'create' : 'update'}):\n${changeLines(e.changes).join('\n')}`)
      inner.onEvent(e)
    },
    close: () => inner.close(),
  }
}

/** What a command says and how it exits once a deploy or delete has ended (a failure is an error). */
export interface StackVerdict {
  lines: string[]
  exitCode: ExitCode
  error: EcsdrainError | null
}

const WAITERS: Record<string, string> = {
  CREATE_IN_PROGRESS: 'stack-create-complete',
  UPDATE_IN_PROGRESS: 'stack-update-complete',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'stack-update-complete',
  DELETE_IN_PROGRESS: 'stack-delete-complete',
}

/** Where the stack was left when following stopped, and the commands to follow it from there. */
function leftLines(r: DeployResult, why: string): string[] {
  const underWay = r.status !== null && /_IN_PROGRESS$/.test(r.status) && r.status !== 'REVIEW_IN_PROGRESS'
  if (!underWay) return [`${why}: nothing was changed.`]
  const stack = r.stackId || r.stackName
  const waiter = WAITERS[r.status!]
  return [
    `${why}: stopped following stack ${r.stackName}, which is ${r.status}. CloudFormation carries on without ecsdrain.`,
    `Follow it: aws cloudformation describe-stack-events --stack-name ${stack}`,
    ...(waiter ? [`Wait for it: aws cloudformation wait ${waiter} --stack-name ${stack}`] : []),
  ]
}

export function stackVerdict(r: DeployResult, command: 'install' | 'uninstall'): StackVerdict {
  if (r.outcome === 'failed') {
    const where = r.failure
      ? `${r.failure.logicalId} (${r.failure.resourceType}): ${r.failure.reason}`
      : r.status
    const suggestion =
      command === 'install'
        ? `See the events with \`aws cloudformation describe-stack-events --stack-name ${r.stackName}\`; fix the cause and run install again.`
        : 'Fix the resource named above (or delete it by hand), then run uninstall again.'
    const error = new EcsdrainError(`Stack ${r.stackName} ended ${r.status}. ${where}`, {
      code: 'STACK_FAILED',
      suggestion,
    })
    return {lines: [], exitCode: ExitCode.failure, error}
  }
  if (r.outcome === 'interrupted')
    return {lines: leftLines(r, 'Interrupted'), exitCode: ExitCode.interrupted, error: null}
  if (r.outcome === 'timeout')
    return {lines: leftLines(r, 'Timed out'), exitCode: ExitCode.timeout, error: null}
  return {lines: [outcomeLine(r)], exitCode: ExitCode.ok, error: null}
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
