/**
 * How events read: one line each in the events pane (cut at the edge), or in full, word-wrapped, on the
 * events screen (`e`). The level is a symbol as well as a colour ("!" warning, "✗" error), and the source
 * is named on every line, so that the source filter (`s`) and a monochrome terminal both work.
 */
import type {WatchEvent} from '../core/poller.js'
import {clock, wrap} from './format.js'
import type {EventSource} from './view.js'

export const SOURCE_LABEL: Record<WatchEvent['source'], string> = {
  ecs: 'ECS',
  autoscaling: 'ASG',
  ecsdrain: 'ecsdrain',
}

/** How the source filter names itself in captions and help. */
export const SOURCE_NAME: Record<EventSource, string> = {
  all: 'all',
  ecs: 'ECS',
  autoscaling: 'Auto Scaling',
  ecsdrain: 'ecsdrain',
}

const MARK: Record<WatchEvent['level'], string> = {info: '', warn: '! ', error: '✗ '}
export const LEVEL_COLOR: Record<WatchEvent['level'], string | undefined> = {
  info: undefined,
  warn: 'yellow',
  error: 'red',
}

/** "03:00:00 ECS      " and so on: the time (UTC) and the source, padded so that messages line up. */
export const PREFIX_WIDTH = 8 + 1 + 8 + 1

export function eventPrefix(e: WatchEvent): string {
  return `${clock(e.at)} ${SOURCE_LABEL[e.source].padEnd(8)} `
}

export function eventText(e: WatchEvent): string {
  return MARK[e.level] + e.message
}

export function eventsFrom(events: readonly WatchEvent[], source: EventSource): WatchEvent[] {
  return source === 'all' ? [...events] : events.filter((e) => e.source === source)
}

export interface EventLine {
  key: string
  text: string
  color: string | undefined
}

/** Every event in full, wrapped to width, continuation lines indented under the message. */
export function fullEventLines(events: readonly WatchEvent[], width: number): EventLine[] {
  const lines: EventLine[] = []
  const textWidth = Math.max(10, width - PREFIX_WIDTH)
  for (const e of events) {
    const wrapped = wrap(eventText(e), textWidth)
    wrapped.forEach((text, n) => {
      const prefix = n === 0 ? eventPrefix(e) : ' '.repeat(PREFIX_WIDTH)
      lines.push({key: `${e.id}:${n}`, text: prefix + text, color: LEVEL_COLOR[e.level]})
    })
  }
  return lines
}
