import {Box, Text} from 'ink'
import React from 'react'

import type {WatchEvent} from '../../core/poller.js'
import {eventPrefix, eventsFrom, eventText, fullEventLines, LEVEL_COLOR, SOURCE_NAME} from '../event-lines.js'
import type {EventSource} from '../view.js'

export interface EventsProps {
  events: WatchEvent[]
  source: EventSource
  rows: number
  width: number
}

function caption(source: EventSource, shown: number, total: number): string {
  const filter = source === 'all' ? 'all sources' : `${SOURCE_NAME[source]} only (${shown} of ${total})`
  return `EVENTS (newest first, UTC) · ${filter} · s source · e full text`
}

/** The events pane: one line per event, cut at the edge (e shows them in full). */
export const Events = React.memo(function Events(p: EventsProps) {
  const shown = eventsFrom(p.events, p.source)
  return (
    <Box flexDirection="column" width={p.width} height={p.rows + 1}>
      <Text bold wrap="truncate">
        {caption(p.source, shown.length, p.events.length)}
      </Text>
      {shown.length === 0 ? <Text dimColor>no events yet</Text> : null}
      {shown.slice(0, p.rows).map((e) => (
        <Text key={e.id} wrap="truncate" color={LEVEL_COLOR[e.level]}>
          {eventPrefix(e)}
          {eventText(e)}
        </Text>
      ))}
    </Box>
  )
})

/** The events screen (e): every event in full, wrapped, scrolled with the arrows. */
export function EventsScreen(p: EventsProps & {scroll: number}) {
  const shown = eventsFrom(p.events, p.source)
  const lines = fullEventLines(shown, p.width)
  const room = Math.max(1, p.rows - 1)
  const first = Math.min(p.scroll, Math.max(0, lines.length - room))
  const more = lines.length - first - room
  return (
    <Box flexDirection="column" width={p.width} height={p.rows}>
      <Text bold wrap="truncate">
        EVENTS in full · {p.source === 'all' ? 'all sources' : `${SOURCE_NAME[p.source]} only`} · s source ·
        ↑↓ scroll · Esc back{more > 0 ? ` · ${more} more below` : ''}
      </Text>
      {lines.length === 0 ? <Text dimColor>no events yet</Text> : null}
      {lines.slice(first, first + room).map((l) => (
        <Text key={l.key} color={l.color} wrap="truncate">
          {l.text}
        </Text>
      ))}
    </Box>
  )
}
