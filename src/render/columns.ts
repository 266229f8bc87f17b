/** Aligned text columns for terminals and pipes, with optional ANSI styling that never breaks alignment. */
import {styleText} from 'node:util'

export type Style = Parameters<typeof styleText>[0]

/** NO_COLOR (https://no-color.org) wins; then FORCE_COLOR; otherwise colour only on a terminal. */
export function colorEnabled(stream: {isTTY?: boolean} = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

/** A cell: text, plus a style applied after padding is computed. */
export interface Cell {
  text: string
  style?: Style
  align?: 'left' | 'right'
}

export function paint(text: string, style: Style | undefined, color: boolean): string {
  // validateStream: false because `color` already decided; styleText would otherwise re-check stdout.
  return color && style ? styleText(style, text, {validateStream: false}) : text
}

/** Pads every column to its widest cell; columns are separated by two spaces, trailing space trimmed. */
export function alignRows(rows: Cell[][], color: boolean): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.text.length)))
  return rows.map((row) =>
    row
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - c.text.length)
        const last = i === row.length - 1
        const body = paint(c.text, c.style, color)
        return c.align === 'right' ? pad + body : last ? body : body + pad
      })
      .join('  ')
      .trimEnd(),
  )
}
