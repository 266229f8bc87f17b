/**
 * Where `refresh`'s events go: listr2 on a terminal (one task per group, its title the refresh's progress,
 * its output the latest drain line), plain lines elsewhere, NDJSON on stdout with --json.
 */
import type {RefreshEvent} from '../core/refresh/types.js'
import {plainProgress} from './drain-progress.js'
import {eventLine} from './drain-text.js'
import {loadStderrListr} from './listr-stderr.js'
import {refreshEventLine} from './refresh-text.js'

export interface RefreshProgress {
  onEvent(event: RefreshEvent): void
  close(): Promise<void>
}

export function ndjsonProgress(write: (line: string) => void): RefreshProgress {
  return {
    onEvent: (e) => write(JSON.stringify(e)),
    close: async () => {},
  }
}

export function plainRefreshProgress(write: (line: string) => void): RefreshProgress {
  const drains = plainProgress(write)
  let last = ''
  return {
    onEvent(e) {
      if (e.type === 'drain') return drains.onEvent(e.event)
      const line = refreshEventLine(e)
      if (line === null || line === last) return
      last = line
      write(line)
    },
    close: async () => {},
  }
}

export async function listrRefreshProgress(
  groups: string[],
  stream: NodeJS.WriteStream,
): Promise<RefreshProgress> {
  const {Listr, options} = await loadStderrListr(stream)
  const slots = new Map<
    string,
    {task?: {title: string; output: string}; title: string; note: string; done: () => void; ok: boolean}
  >()
  const finished = new Map<string, Promise<void>>()
  for (const g of groups) {
    let done!: () => void
    finished.set(g, new Promise<void>((r) => (done = r)))
    slots.set(g, {title: `${g}: starting`, note: '', done, ok: true})
  }
  const list = new Listr(
    groups.map((g) => ({
      title: `${g}: starting`,
      task: async (_ctx: unknown, task: {title: string; output: string}) => {
        const slot = slots.get(g)!
        slot.task = task
        await finished.get(g)
        task.title = slot.title
        if (!slot.ok) throw new Error(slot.note)
      },
      rendererOptions: {persistentOutput: true, outputBar: 1},
    })),
    options,
  )
  const running = list.run().catch(() => undefined)
  return {
    onEvent(e) {
      const slot = slots.get(e.autoScalingGroupName)
      if (!slot) return
      if (e.type === 'drain') {
        const line = eventLine(e.event)
        if (line) slot.note = line
      } else {
        const line = refreshEventLine(e)
        if (line && e.type !== 'drain-finished' && e.type !== 'guard') slot.title = line
        else if (line) slot.note = line
      }
      if (slot.task) {
        slot.task.title = slot.title
        if (slot.note) slot.task.output = slot.note
      }
      if (e.type === 'finished') {
        slot.ok = e.result.outcome === 'successful'
        slot.done()
      }
    },
    close: async () => {
      for (const s of slots.values()) s.done()
      await running
    },
  }
}

/** NDJSON under --json, listr2 on a terminal, plain lines in a pipe. */
export async function refreshProgressFor(
  json: boolean,
  groups: string[],
  out: (line: string) => void,
  log: (line: string) => void,
): Promise<RefreshProgress> {
  if (json) return ndjsonProgress(out)
  return process.stderr.isTTY ? listrRefreshProgress(groups, process.stderr) : plainRefreshProgress(log)
}
