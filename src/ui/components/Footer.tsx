import {Box, Text} from 'ink'
import React from 'react'

import {fitHints} from '../format.js'
import type {Prompt, Screen} from '../view.js'

export interface FooterProps {
  screen: Screen
  prompt: Prompt | null
  filter: string
  notice: string | null
  readonly: boolean
  width: number
}

type Hint = {text: string; priority: number; changes?: boolean}

/** The keys of each screen; the lower the priority, the longer a hint survives a narrow terminal. */
const HINTS: Record<Screen, Hint[]> = {
  main: [
    {text: '↑↓ move', priority: 9},
    {text: '⏎ details', priority: 2},
    {text: '/ filter', priority: 3},
    {text: 'o/O sort', priority: 4},
    {text: 'e events', priority: 5},
    {text: 's source', priority: 8},
    {text: 'd drain', priority: 1, changes: true},
    {text: 'u undrain', priority: 6, changes: true},
    {text: 'c complete', priority: 6, changes: true},
    {text: 'h heartbeat', priority: 7, changes: true},
    {text: '? help', priority: 0},
    {text: 'q quit', priority: 0},
  ],
  details: [
    {text: 'Esc back', priority: 0},
    {text: '↑↓ scroll', priority: 3},
    {text: 'd drain', priority: 1, changes: true},
    {text: 'u undrain', priority: 2, changes: true},
    {text: 'c complete', priority: 2, changes: true},
    {text: 'h heartbeat', priority: 2, changes: true},
    {text: 'e events', priority: 4},
    {text: '? help', priority: 0},
    {text: 'q quit', priority: 0},
  ],
  events: [
    {text: 'Esc back', priority: 0},
    {text: '↑↓ PgUp PgDn scroll', priority: 2},
    {text: 's source', priority: 1},
    {text: '? help', priority: 0},
    {text: 'q quit', priority: 0},
  ],
}

/** The hints shown: under --readonly, none for a key that changes anything. */
export function keyHints(screen: Screen, readonly: boolean, width: number): string {
  return fitHints(
    HINTS[screen].filter((h) => !(readonly && h.changes)),
    width,
  )
}

/** The footer's text and colour: a prompt first, then a notice, else the key hints. */
export function footerText(p: FooterProps): {text: string; color?: string; bold?: boolean; dim?: boolean} {
  if (p.prompt?.kind === 'confirm') return {text: `${p.prompt.text} [y/N]`, color: 'yellow', bold: true}
  if (p.prompt?.kind === 'filter') {
    return {text: `/${p.filter}▏ · id, AZ, status or lifecycle state · ⏎ keep · Esc clear`, color: 'cyan'}
  }
  if (p.notice) return {text: p.notice, color: 'yellow'}
  return {text: keyHints(p.screen, p.readonly, p.width), dim: true}
}

/** A question or a refusal is never cut: it wraps onto up to three lines (the layout makes the room). */
export function footerRows(p: FooterProps): number {
  return Math.min(3, Math.max(1, Math.ceil(footerText(p).text.length / p.width)))
}

export const Footer = React.memo(function Footer(p: FooterProps) {
  const f = footerText(p)
  return (
    <Box width={p.width} height={footerRows(p)}>
      <Text wrap="wrap" color={f.color} bold={f.bold} dimColor={f.dim}>
        {f.text}
      </Text>
    </Box>
  )
})
