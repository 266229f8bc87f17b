import {Text} from 'ink'
import React from 'react'

import type {Mode} from '../../core/watch/store.js'

export interface FooterProps {
  mode: Mode
  notice: string | null
  width: number
}

export const KEY_HINTS = '↑↓ move  d drain  u undrain  c complete  h heartbeat  ? help  q quit'

export const Footer = React.memo(function Footer(p: FooterProps) {
  if (p.mode.kind === 'confirm') {
    return (
      <Text wrap="truncate" color="yellow" bold>
        {p.mode.prompt} [y/N]
      </Text>
    )
  }
  if (p.notice) {
    return (
      <Text wrap="truncate" color="yellow">
        {p.notice}
      </Text>
    )
  }
  return (
    <Text wrap="truncate" dimColor>
      {KEY_HINTS}
    </Text>
  )
})
