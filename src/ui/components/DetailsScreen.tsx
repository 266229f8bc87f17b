import {Box, Text} from 'ink'
import React from 'react'

import type {DetailLine} from '../detail-lines.js'

/** The details screen (Enter): the lines of detail-lines.ts, scrolled with the arrows. */
export function DetailsScreen(p: {lines: DetailLine[]; scroll: number; rows: number; width: number}) {
  const room = Math.max(1, p.rows - 1)
  const first = Math.min(p.scroll, Math.max(0, p.lines.length - room))
  const more = p.lines.length - first - room
  return (
    <Box flexDirection="column" width={p.width} height={p.rows}>
      <Text bold wrap="truncate">
        DETAILS · Esc back · ↑↓ scroll{more > 0 ? ` · ${more} more line(s) below` : ''}
      </Text>
      {p.lines.slice(first, first + room).map((l, n) => (
        <Text key={first + n} wrap="truncate" color={l.color} bold={l.bold} dimColor={l.dim}>
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  )
}
