import {describe, expect, it} from 'vitest'

import {batchExitCode, drainBatch, type DrainOptions} from '../../../src/core/drain/index.js'
import type {Answer, ConfirmRequest, PromptPort} from '../../../src/core/prompt.js'
import {type FakeWorld, twoWebTasksWorld} from './fake-world.js'

const world = twoWebTasksWorld

const opts = (over: Partial<DrainOptions> = {}): DrainOptions => ({
  timeoutMs: 30 * 60_000,
  intervalMs: 5000,
  ...over,
})

/** A prompt that answers `answer` and records what it was asked, and what had happened by then. */
function answering(answer: Answer, w: FakeWorld) {
  const asked: Array<ConfirmRequest & {changesBefore: number}> = []
  const prompt: PromptPort = {
    confirm: async (q) => {
      asked.push({...q, changesBefore: w.count('UpdateContainerInstancesState')})
      return answer
    },
    choose: async () => undefined,
  }
  return {prompt, asked}
}

describe('drainBatch (plan all, ask once, drain)', () => {
  it('asks once, by code, after planning and before any change; yes drains', async () => {
    const w = world()
    const {prompt, asked} = answering('yes', w)
    const order: string[] = []
    const results = await drainBatch(w.ports, [{cluster: 'c1', instance: w.target}], opts(), {
      prompt,
      planned: (plans) => order.push(`planned ${plans.length}`),
      observe: () => (order.push(`observe after ${asked.length} question(s)`), undefined as never),
    })
    expect(asked).toHaveLength(1)
    expect(asked[0]).toMatchObject({
      code: 'DRAIN_CONFIRM',
      message: 'Drain 1 instance(s)?',
      defaultAnswer: 'no',
    })
    expect(asked[0]!.changesBefore).toBe(0)
    // The display is made once the question is answered, so that it never draws over it.
    expect(order).toEqual(['planned 1', 'observe after 1 question(s)'])
    expect(results.map((r) => r.outcome)).toEqual(['drained'])
    expect(batchExitCode(results)).toBe(0)
  })

  it('no: NOT_CONFIRMED, and nothing was changed', async () => {
    const w = world()
    const {prompt} = answering('no', w)
    await expect(
      drainBatch(w.ports, [{cluster: 'c1', instance: w.target}], opts(), {prompt}),
    ).rejects.toMatchObject({code: 'NOT_CONFIRMED'})
    expect(w.count('UpdateContainerInstancesState')).toBe(0)
  })

  it('Ctrl-C at the question interrupts every drain before it changes anything (exit 130)', async () => {
    const w = world()
    const {prompt} = answering('interrupted', w)
    const results = await drainBatch(w.ports, [{cluster: 'c1', instance: w.target}], opts(), {prompt})
    expect(results.map((r) => r.outcome)).toEqual(['interrupted'])
    expect(w.count('UpdateContainerInstancesState')).toBe(0)
    expect(batchExitCode(results)).toBe(130)
  })

  it('a dry run never asks, changes nothing, and exits 4 where the real run would refuse', async () => {
    const w = world()
    // Both ACTIVE instances in one batch: each is no room for the other's tasks, so the plan refuses.
    const targets = w.instances.map((i) => ({cluster: 'c1', instance: i}))
    const {prompt, asked} = answering('yes', w)
    const results = await drainBatch(w.ports, targets, opts({dryRun: true}), {prompt})
    expect(asked).toHaveLength(0)
    expect(results.map((r) => r.outcome)).toEqual(['dry-run', 'dry-run'])
    expect(w.count('UpdateContainerInstancesState')).toBe(0)
    expect(batchExitCode(results)).toBe(4)
  })

  it('does not ask when every plan is refused: nothing would change', async () => {
    const w = world()
    const targets = w.instances.map((i) => ({cluster: 'c1', instance: i}))
    const {prompt, asked} = answering('yes', w)
    const results = await drainBatch(w.ports, targets, opts(), {prompt})
    expect(asked).toHaveLength(0)
    expect(results.map((r) => r.outcome)).toEqual(['refused', 'refused'])
    expect(batchExitCode(results)).toBe(4)
  })
})
