/**
 * Where the drain's events go. In a terminal: listr2, one task per instance with a line per service
 * (replaced so far, stopping, remaining), loaded lazily so that other commands never pay for it. Elsewhere
 * (a pipe, CI, or --json): one plain line per event on stderr, so stdout carries only the results.
 */
import type {DrainEvent, DrainObserver, DrainResult, DrainTarget} from '../core/drain/index.js'
import {eventLine, explanationLines, explanationSummary, serviceLine, summaryLine} from './drain-text.js'
import {loadStderrListr} from './listr-stderr.js'

/** core's DrainObserver: `close` resolves once listr2 has drawn its last frame. */
export type DrainProgress = DrainObserver

/** listr2 in a terminal (stderr), plain lines through `write` elsewhere (a pipe, CI, --json). */
export async function drainProgressFor(
  targets: readonly DrainTarget[],
  o: {tty: boolean; write: (line: string) => void},
): Promise<DrainProgress> {
  if (!o.tty) return plainProgress(o.write)
  return listrProgress(
    targets.map((t) => t.instance.ec2InstanceId),
    process.stderr,
  )
}

const SUCCESS = new Set<DrainResult['outcome']>(['drained', 'dry-run', 'draining'])

/** A log gets the explanation when what the tasks wait on changes, and at most once a minute otherwise. */
const EXPLAIN_EVERY_MS = 60_000

export function plainProgress(write: (line: string) => void): DrainProgress {
  const last = new Map<string, string>()
  const explained = new Map<string, {key: string; at: number}>()
  const explain = (event: Extract<DrainEvent, {type: 'progress'}>) => {
    const e = event.explanation
    if (!e) return
    const key = e.reasons.map((r) => `${r.task} ${r.kind}`).join(',')
    const before = explained.get(event.ec2InstanceId)
    if (before && before.key === key && event.at - before.at < EXPLAIN_EVERY_MS) return
    explained.set(event.ec2InstanceId, {key, at: event.at})
    for (const line of explanationLines(event.ec2InstanceId, e)) write(line)
  }
  return {
    onEvent(event) {
      if (event.type === 'progress') explain(event)
      const line = eventLine(event)
      // A poll that changed nothing is not worth a line in a log.
      if (line === null || last.get(event.ec2InstanceId) === line) return
      last.set(event.ec2InstanceId, line)
      write(line)
    },
    finished() {},
    close: async () => {},
  }
}

interface Slot {
  title: string
  note: string
  services: Map<string, string>
  resolve: (r: DrainResult) => void
  done: Promise<DrainResult>
  /** Resolves with the service names once the first poll has listed them (or at the end). */
  listed: Promise<string[]>
  list: (names: string[]) => void
  task?: {title: string; output: string}
  subtasks: Map<string, {title: string}>
}

/** One listr2 task per instance, one subtask per service on it; the latest note (heartbeat, blocker) below. */
export async function listrProgress(
  ids: readonly string[],
  stream: NodeJS.WriteStream,
): Promise<DrainProgress> {
  const {Listr, options} = await loadStderrListr(stream, {collapseSubtasks: false})
  const slots = new Map<string, Slot>()
  for (const id of ids) {
    let resolve!: (r: DrainResult) => void
    let list!: (names: string[]) => void
    const done = new Promise<DrainResult>((r) => (resolve = r))
    const listed = new Promise<string[]>((r) => (list = r))
    slots.set(id, {
      title: `${id}: preflight`,
      note: '',
      services: new Map(),
      resolve,
      done,
      listed,
      list,
      subtasks: new Map(),
    })
  }
  const refresh = (slot: Slot) => {
    if (slot.task) {
      slot.task.title = slot.title
      if (slot.note) slot.task.output = slot.note
    }
    for (const [name, line] of slot.services) {
      const sub = slot.subtasks.get(name)
      if (sub) sub.title = line
    }
  }
  const serviceTask = (slot: Slot, name: string) => ({
    title: slot.services.get(name) ?? name,
    task: async (_ctx: unknown, sub: {title: string; skip(message?: string): void}) => {
      slot.subtasks.set(name, sub)
      refresh(slot)
      const result = await slot.done
      refresh(slot)
      // A service is done (✔) only when none of its tasks is left on the instance; a drain that ended
      // otherwise (interrupted, timed out, failed) leaves its row marked as not done, saying why.
      const left = result.services.find((s) => s.service === name)
      if (!SUCCESS.has(result.outcome) && left && left.remaining + left.stopping > 0)
        sub.skip(`${slot.services.get(name) ?? name} (${result.outcome})`)
    },
  })
  const list = new Listr(
    ids.map((id) => ({
      title: `${id}: preflight`,
      task: async (_ctx, task) => {
        const slot = slots.get(id)!
        slot.task = task
        refresh(slot)
        const names = await Promise.race([slot.listed, slot.done.then(() => [] as string[])])
        const finish = {
          title: 'result',
          task: async (_c: unknown, sub: {title: string}) => {
            const result = await slot.done
            task.title = summaryLine(result)
            sub.title = result.outcome
            // Failed, for the icon; no message of its own: the title above already says it all, once.
            if (!SUCCESS.has(result.outcome)) throw new Error('')
          },
        }
        return task.newListr([...names.map((n) => serviceTask(slot, n)), finish], {
          concurrent: true,
          exitOnError: false,
        })
      },
      rendererOptions: {persistentOutput: false, outputBar: 1},
    })),
    options,
  )
  const running = list.run().catch(() => undefined)
  return {
    onEvent(e) {
      const slot = slots.get(e.ec2InstanceId)
      if (!slot) return
      if (e.type === 'started') slot.title = `${e.ec2InstanceId}: DRAINING, ${e.tasksAtStart} task(s) to go`
      else if (e.type === 'progress') {
        slot.title = `${e.ec2InstanceId}: DRAINING, ${e.tasksRemaining} task(s) left${e.standalone ? ` (${e.standalone} standalone)` : ''}`
        for (const s of e.services) slot.services.set(s.service, serviceLine(s))
        slot.list([...slot.services.keys()])
        if (e.explanation && e.explanation.reasons.length > 0) slot.note = explanationSummary(e.explanation)
      } else if (['blocker', 'heartbeat', 'retry', 'completed', 'warning'].includes(e.type))
        slot.note = eventLine(e) ?? ''
      refresh(slot)
    },
    finished(result) {
      const slot = slots.get(result.ec2InstanceId)
      if (!slot) return
      for (const s of result.services) slot.services.set(s.service, serviceLine(s))
      refresh(slot)
      slot.resolve(result)
    },
    close: async () => {
      await running
    },
  }
}
