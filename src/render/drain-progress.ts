/**
 * Where the drain's events go. In a terminal: listr2, one task per instance with a line per service
 * (replaced so far, stopping, remaining), loaded lazily so that other commands never pay for it. Elsewhere
 * (a pipe, CI, or --json): one plain line per event on stderr, so stdout carries only the results.
 */
import type {DrainEvent, DrainResult} from '../core/drain/index.js'
import {eventLine, serviceLine, summaryLine} from './drain-text.js'

export interface DrainProgress {
  onEvent(event: DrainEvent): void
  /** Called once per instance when its drain has ended. */
  finished(result: DrainResult): void
  /** Resolves once the display has settled (listr2 has drawn its last frame). */
  close(): Promise<void>
}

export function plainProgress(write: (line: string) => void): DrainProgress {
  const last = new Map<string, string>()
  return {
    onEvent(event) {
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
  services: string[]
  notes: string[]
  resolve: (r: DrainResult) => void
  done: Promise<DrainResult>
  task?: {title: string; output: string}
}

export async function listrProgress(
  ids: readonly string[],
  stream: NodeJS.WriteStream,
): Promise<DrainProgress> {
  const {Listr, ListrLogger, ProcessOutput} = await import('listr2')
  const slots = new Map<string, Slot>()
  for (const id of ids) {
    let resolve!: (r: DrainResult) => void
    const done = new Promise<DrainResult>((r) => (resolve = r))
    slots.set(id, {title: `${id}: preflight`, services: [], notes: [], resolve, done})
  }
  const update = (id: string, change: {title?: string; services?: string[]; note?: string | null} = {}) => {
    const slot = slots.get(id)
    if (!slot) return
    if (change.title !== undefined) slot.title = change.title
    if (change.services !== undefined) slot.services = change.services
    // Keep the last few notes (blockers, heartbeats, retries) under the per-service lines.
    if (change.note) slot.notes = [...slot.notes, change.note].slice(-3)
    if (slot.task) {
      slot.task.title = slot.title
      const output = [...slot.services, ...slot.notes].join('\n')
      if (output) slot.task.output = output
    }
  }
  const list = new Listr(
    ids.map((id) => ({
      title: `${id}: preflight`,
      task: async (_ctx: unknown, task: {title: string; output: string}) => {
        const slot = slots.get(id)!
        slot.task = task
        update(id)
        const result = await slot.done
        task.title = summaryLine(result)
        if (result.outcome !== 'drained' && result.outcome !== 'dry-run' && result.outcome !== 'draining') {
          throw new Error(summaryLine(result))
        }
      },
      rendererOptions: {persistentOutput: true, outputBar: Infinity},
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: {
        // Progress belongs on stderr: stdout carries only results.
        logger: new ListrLogger({
          useIcons: true,
          toStderr: [],
          processOutput: new ProcessOutput(stream, stream),
        }),
        collapseErrors: false,
      },
    },
  )
  const running = list.run().catch(() => undefined)
  return {
    onEvent(e) {
      switch (e.type) {
        case 'started':
          return update(e.ec2InstanceId, {
            title: `${e.ec2InstanceId}: DRAINING, ${e.tasksAtStart} task(s) to go`,
          })
        case 'progress':
          return update(e.ec2InstanceId, {
            title: `${e.ec2InstanceId}: DRAINING, ${e.tasksRemaining} task(s) left`,
            services: [
              ...e.services.map(serviceLine),
              ...(e.standalone ? [`standalone: ${e.standalone} running`] : []),
            ],
          })
        case 'blocker':
        case 'heartbeat':
        case 'retry':
        case 'completed':
          return update(e.ec2InstanceId, {note: eventLine(e)})
        default:
          return
      }
    },
    finished(result) {
      slots.get(result.ec2InstanceId)?.resolve(result)
    },
    close: async () => {
      await running
    },
  }
}
