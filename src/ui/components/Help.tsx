import {Box, Text} from 'ink'
import React from 'react'

const KEYS: Array<[string, string]> = [
  ['↑ ↓ PgUp PgDn', 'move the selection (Home/End: first/last)'],
  ['d', 'drain the selected instance (asks first); its lifecycle action is completed once drained'],
  ['u', 'undrain: set the instance back to ACTIVE'],
  ['c', 'complete the pending lifecycle action with CONTINUE (refused while tasks still run)'],
  ['h', 'record a lifecycle heartbeat (pushes the hook deadline back)'],
  ['?', 'show or hide this help'],
  ['q  Ctrl-C', 'quit (a drain in progress is left DRAINING; nothing is completed)'],
]

export function Help(p: {width: number}) {
  return (
    <Box flexDirection="column" width={p.width} borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYS.map(([key, what]) => (
        <Text key={key} wrap="truncate">
          <Text color="cyan">{key.padEnd(14)}</Text>
          {what}
        </Text>
      ))}
      <Text dimColor>Press ? or Esc to close.</Text>
    </Box>
  )
}
