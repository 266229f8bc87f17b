import {Box, Text} from 'ink'
import React from 'react'

import {SORT_KEYS} from '../view.js'
import {SORT_COLUMN} from '../instances-view.js'

type Entry = [keys: string, what: string, changes?: boolean]

// Each line fits 80 columns whole: nothing in the help is ever cut.
const KEYS: Entry[] = [
  ['↑↓ PgUp PgDn', 'move the selection (Home/End: first/last; j/k too)'],
  ['⏎ Enter', "the selected instance's details: tasks, why each still runs"],
  ['Esc', 'back from details or events; clears the filter'],
  ['/', 'filter instances by id, AZ, status, lifecycle (⏎ keep, Esc clear)'],
  ['o  O', `sort by the next column / reverse (${SORT_KEYS.map((k) => SORT_COLUMN[k]).join(' ')})`],
  ['e', 'the events in full (wrapped), scrolled with ↑↓'],
  ['s', 'events from: all, ECS, Auto Scaling, ecsdrain'],
  ['d', 'drain (asks first); the lifecycle action is completed once drained', true],
  ['u', 'undrain: back to ACTIVE (asks first)', true],
  ['c', 'complete with CONTINUE: refused before asking while tasks live', true],
  ['h', 'record a lifecycle heartbeat (pushes the hook deadline back)', true],
  ['?', 'show or hide this help'],
  ['q  Ctrl-C', 'quit (a drain in progress is left DRAINING; nothing completed)'],
]

export function Help(p: {width: number; readonly: boolean}) {
  const keys = KEYS.filter(([, , changes]) => !(p.readonly && changes))
  return (
    <Box flexDirection="column" width={p.width} borderStyle="round" paddingX={1}>
      <Text bold>Keys{p.readonly ? ' (watch --readonly: no key here changes the cluster)' : ''}</Text>
      {keys.map(([key, what]) => (
        <Box key={key} flexDirection="row">
          <Box width={14} flexShrink={0}>
            <Text color="cyan">{key}</Text>
          </Box>
          <Text wrap="wrap">{what}</Text>
        </Box>
      ))}
      <Text dimColor>Times are UTC. Press ? or Esc to close.</Text>
    </Box>
  )
}
