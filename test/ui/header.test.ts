/**
 * The header's second line at 80 columns: whatever the group name and the instance refresh, the call
 * counts still fit (an operator watching throttles must see them), by saying less about the refresh.
 */
import {describe, expect, it} from 'vitest'

import {groupsLine} from '../../src/ui/components/Header.js'

const group = {
  autoScalingGroupName: 'todobackend-AutoScalingGroup-1ABCDEFGHIJK',
  desiredCapacity: 1,
  minSize: 1,
  maxSize: 2,
}
const refresh = {status: 'InProgress', percentageComplete: 100}

function lineLength(width: number, calls: number): {text: string; length: number} {
  const p = {
    groups: [group],
    activities: [],
    refreshes: [refresh],
    calls: {total: calls, throttles: 0},
    width,
  } as unknown as Parameters<typeof groupsLine>[0]
  const line = groupsLine(p, 0)
  const text = `${line.groups}${line.scaling ? ` · ${line.scaling}` : ''} · calls ${calls} · throttles 0`
  return {text, length: text.length}
}

describe('the header’s groups line', () => {
  it('keeps the call counts inside 80 columns during an instance refresh', () => {
    for (const calls of [9, 20, 1234, 123456]) {
      const {text, length} = lineLength(80, calls)
      expect(length, text).toBeLessThanOrEqual(80)
      expect(text).toMatch(/refresh 100%/)
    }
  })

  it('says the refresh in full where there is room', () => {
    expect(lineLength(160, 20).text).toContain('instance refresh InProgress 100%')
  })
})
