import {describe, expect, it} from 'vitest'

import {actionWidth, columnsFor, MIN_ACTION_WIDTH} from '../../src/ui/columns.js'
import {fitHints, wrap} from '../../src/ui/format.js'
import {computeLayout} from '../../src/ui/layout.js'

describe('wrap', () => {
  it('breaks at spaces, indents the lines after the first, and splits a word longer than a line', () => {
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', '  three', '  four'])
    expect(wrap('x'.repeat(12), 5)).toEqual(['xxxxx', 'xxxxx', 'xx'])
    expect(wrap('', 10)).toEqual([''])
    for (const line of wrap('a fairly long sentence that must wrap at twenty columns', 20, 4)) {
      expect(line.length).toBeLessThanOrEqual(20)
    }
  })
})

describe('fitHints', () => {
  const hints = [
    {text: '↑↓ move', priority: 9},
    {text: 'd drain', priority: 1},
    {text: '? help', priority: 0},
    {text: 'q quit', priority: 0},
  ]
  it('drops whole hints, least important first, and keeps their order', () => {
    expect(fitHints(hints, 80)).toBe('↑↓ move  d drain  ? help  q quit')
    expect(fitHints(hints, 25)).toBe('d drain  ? help  q quit')
    expect(fitHints(hints, 14)).toBe('? help  q quit')
  })
})

describe('columnsFor', () => {
  it('leaves the ACTION column room for a drain’s progress at every width from 80 up', () => {
    for (let width = 80; width <= 300; width++) {
      expect(actionWidth(columnsFor(width), width), `at ${width} columns`).toBeGreaterThanOrEqual(
        MIN_ACTION_WIDTH,
      )
    }
  })

  it('adds columns as the terminal widens', () => {
    const titles = (w: number) => columnsFor(w).map((c) => c.title)
    expect(titles(80)).toEqual(['INSTANCE', 'STATUS', 'RUN', 'LIFECYCLE', 'DEADLINE'])
    expect(titles(160)).toEqual([
      'INSTANCE',
      'STATUS',
      'AG',
      'RUN',
      'PND',
      'CPU',
      'MEM',
      'AZ',
      'TYPE',
      'LIFECYCLE',
      'DEADLINE',
    ])
    // The group's column only where its whole names fit, ACTION keeping room.
    expect(columnsFor(240, 47).map((c) => c.title)).toContain('ASG')
    expect(columnsFor(240, 47).find((c) => c.title === 'ASG')!.width).toBe(47)
    expect(columnsFor(160, 47).map((c) => c.title)).not.toContain('ASG')
  })
})

describe('computeLayout', () => {
  it('shares the rows by content: few instances leave them to the events, many take them back', () => {
    const few = computeLayout(160, 50, {errorLine: false, instances: 2, events: 200})
    const many = computeLayout(160, 50, {errorLine: false, instances: 1000, events: 200})
    expect(few.tableRows).toBe(2)
    expect(few.eventRows).toBe(28)
    expect(many.eventRows).toBe(6)
    expect(many.tableRows + many.eventRows).toBe(few.tableRows + few.eventRows)
  })

  it('at 80×24 still gives every pane a few rows', () => {
    const l = computeLayout(80, 24, {errorLine: true, instances: 1000, events: 200})
    expect(l.tableRows).toBeGreaterThanOrEqual(3)
    expect(l.eventRows).toBe(3)
    expect(l.chartHeight).toBe(4)
  })
})
