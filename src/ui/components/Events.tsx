import {Box, Text} from 'ink'
import React from 'react'

import type {WatchEvent} from '../../core/poller.js'
import {clock} from '../format.js'

export interface EventsProps {
  events: WatchEvent[]
  rows: number
  width: number
}

const SOURCE: Record<WatchEvent['source'], string> = {ecs: 'ecs', autoscaling: 'asg', ecsdrain: 'me '}
const LEVEL_COLOR: Record<WatchEvent['level'], string | undefined> = {
  info: undefined,
  warn: 'yellow',
  error: 'red',
}

export const Events = React.memo(function Events(p: EventsProps) {
  return (
    <Box flexDirection="column" width={p.width} height={p.rows + 1}>
      <Text bold wrap="truncate">
        EVENTS (newest first)
      </Text>
      {p.events.slice(0, p.rows).map((e) => (
        <Text key={e.id} wrap="truncate" color={LEVEL_COLOR[e.level]}>
          {clock(e.at)} <Text color={e.source === 'ecsdrain' ? 'magenta' : 'gray'}>{SOURCE[e.source]}</Text>{' '}
          {e.message}
        </Text>
      ))}
    </Box>
  )
})
