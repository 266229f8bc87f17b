/**
 * Instance refreshes as AWS documents them (issue 9 items 2 and 3), through the SDK over HTTP against a
 * 4-instance `large` world on a ManualClock: progress (PercentageComplete, InstancesToUpdate, StatusReason),
 * checkpoints, skip matching, cancel, rollback (by hand and automatic), scale-in protected instances, bake
 * time, and StartInstanceRefresh's validation.
 */
import {
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  RollbackInstanceRefreshCommand,
  SetInstanceProtectionCommand,
  StartInstanceRefreshCommand,
  type InstanceRefresh,
  type RefreshPreferences,
  type StartInstanceRefreshCommandInput,
} from '@aws-sdk/client-auto-scaling'
import {afterEach, describe, expect, it} from 'vitest'

import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'

const GROUP = 'large-asg'
let sim: TestSim
afterEach(() => sim?.close())

async function world() {
  sim = await startTestSim({scenario: 'large', instances: 4, services: 2, tasksPerInstance: 2})
  const {autoScaling} = simClients(sim.endpoint, {maxAttempts: 1})
  const clock = sim.manualClock!
  const group = async () =>
    (await autoScaling.send(new DescribeAutoScalingGroupsCommand({AutoScalingGroupNames: [GROUP]})))
      .AutoScalingGroups![0]!
  const refresh = async (): Promise<InstanceRefresh> =>
    (await autoScaling.send(new DescribeInstanceRefreshesCommand({AutoScalingGroupName: GROUP})))
      .InstanceRefreshes![0]!
  const start = (Preferences: RefreshPreferences, extra: Partial<StartInstanceRefreshCommandInput> = {}) =>
    autoScaling.send(new StartInstanceRefreshCommand({AutoScalingGroupName: GROUP, Preferences, ...extra}))
  const template = async () => (await group()).LaunchTemplate!
  const desired = async (Version: string) => ({
    DesiredConfiguration: {
      LaunchTemplate: {LaunchTemplateName: (await template()).LaunchTemplateName, Version},
    },
  })
  /** Steps the clock by `stepMs` until `done` holds, recording each step's refresh; fails past `limitMs`. */
  const until = async (done: (r: InstanceRefresh) => boolean, limitMs = 3_600_000, stepMs = 500) => {
    const seen: InstanceRefresh[] = []
    for (let t = 0; t <= limitMs; t += stepMs) {
      const r = await refresh()
      seen.push(r)
      if (done(r)) return seen
      clock.advance(stepMs)
    }
    throw new Error(`not reached in ${limitMs} ms: ${JSON.stringify(seen.at(-1))}`)
  }
  const ids = async () => new Set((await group()).Instances!.map((i) => i.InstanceId!))
  return {autoScaling, clock, group, refresh, start, template, desired, until, ids}
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: {name: string; message: string}) => ({name: e.name, message: e.message}),
  )

describe('progress', () => {
  it('PercentageComplete and InstancesToUpdate move as replacements become healthy and warm', async () => {
    const w = await world()
    await w.start({MinHealthyPercentage: 100, MaxHealthyPercentage: 150, InstanceWarmup: 60})
    const first = await w.refresh()
    expect(first).toMatchObject({Status: 'InProgress', PercentageComplete: 0, InstancesToUpdate: 4})
    expect(first.StatusReason).toMatch(/^Waiting for instances to become healthy before continuing/)
    const seen = await w.until((r) => r.Status === 'Successful')
    const percentages = [...new Set(seen.map((r) => r.PercentageComplete))]
    expect(percentages).toEqual([0, 50, 100])
    expect(seen.find((r) => r.PercentageComplete === 50)).toMatchObject({
      Status: 'InProgress',
      InstancesToUpdate: 2,
    })
    expect(
      seen.some((r) =>
        /^Waiting for instances to warm up before continuing. For example: i-/.test(r.StatusReason ?? ''),
      ),
    ).toBe(true)
    expect(
      seen.some((r) => /^Waiting for instances to terminate before continuing/.test(r.StatusReason ?? '')),
    ).toBe(true)
    expect(seen.at(-1)).toMatchObject({
      PercentageComplete: 100,
      InstancesToUpdate: 0,
      EndTime: expect.any(Date),
    })
    expect(seen.at(-1)!.Preferences).toMatchObject({
      MinHealthyPercentage: 100,
      MaxHealthyPercentage: 150,
      InstanceWarmup: 60,
      SkipMatching: false,
      AutoRollback: false,
      ScaleInProtectedInstances: 'Wait',
      StandbyInstances: 'Wait',
    })
  })

  it('the default instance warmup is the group health check grace period (0 unless set)', async () => {
    const w = await world()
    await w.start({})
    expect((await w.refresh()).Preferences).toMatchObject({MinHealthyPercentage: 90, InstanceWarmup: 0})
    expect((await w.refresh()).Preferences!.MaxHealthyPercentage).toBeUndefined()
  })

  it('a bake time holds the finished refresh in Baking before Successful', async () => {
    const w = await world()
    await w.start({MinHealthyPercentage: 0, BakeTime: 300})
    const seen = await w.until((r) => r.Status === 'Successful')
    const baking = seen.filter((r) => r.Status === 'Baking')
    expect(baking.length * 500).toBeGreaterThanOrEqual(299_000)
    expect(baking[0]).toMatchObject({PercentageComplete: 100, InstancesToUpdate: 0})
  })
})

describe('checkpoints', () => {
  it('pause once that share of the group is new, for CheckpointDelay, with no replacement meanwhile', async () => {
    const w = await world()
    const before = await w.ids()
    await w.start({MinHealthyPercentage: 0, CheckpointPercentages: [25, 100], CheckpointDelay: 600})
    const paused = await w.until((r) => /^Checkpoint 1 of 2 \(25%\) reached/.test(r.StatusReason ?? ''))
    // MinHealthyPercentage 0 would allow all four at once: the checkpoint paces it to one.
    expect(paused.at(-1)).toMatchObject({Status: 'InProgress', PercentageComplete: 25, InstancesToUpdate: 3})
    const oldLeft = [...(await w.ids())].filter((id) => before.has(id))
    expect(oldLeft).toHaveLength(3)
    w.clock.advance(590_000)
    expect([...(await w.ids())].filter((id) => before.has(id))).toEqual(oldLeft)
    const done = await w.until((r) => r.Status === 'Successful')
    expect(done.at(-1)!.Preferences).toMatchObject({CheckpointPercentages: [25, 100], CheckpointDelay: 600})
    expect([...(await w.ids())].filter((id) => before.has(id))).toEqual([])
  })

  it('a last checkpoint below 100 ends the refresh there', async () => {
    const w = await world()
    const before = await w.ids()
    await w.start({MinHealthyPercentage: 50, CheckpointPercentages: [50]})
    const done = await w.until((r) => r.Status !== 'InProgress')
    expect(done.at(-1)).toMatchObject({Status: 'Successful', PercentageComplete: 50, InstancesToUpdate: 2})
    expect([...(await w.ids())].filter((id) => before.has(id))).toHaveLength(2)
    expect(done.at(-1)!.Preferences!.CheckpointDelay).toBe(3600)
  })
})

describe('skip matching and the desired configuration', () => {
  it('skips instances already on the desired configuration; the group takes it on success', async () => {
    const w = await world()
    const before = await w.ids()
    await w.start({SkipMatching: true}, await w.desired('1'))
    expect(await w.refresh()).toMatchObject({
      Status: 'Successful',
      PercentageComplete: 100,
      InstancesToUpdate: 0,
    })
    expect(await w.ids()).toEqual(before)

    await w.start({SkipMatching: true, MinHealthyPercentage: 50}, await w.desired('2'))
    expect((await w.refresh()).DesiredConfiguration!.LaunchTemplate).toMatchObject({Version: '2'})
    expect((await w.template()).Version).toBe('1')
    await w.until((r) => r.Status === 'Successful')
    expect((await w.template()).Version).toBe('2')
    const instances = (await w.group()).Instances!
    expect(instances.every((i) => i.LaunchTemplate!.Version === '2' && !before.has(i.InstanceId!))).toBe(true)

    const replaced = await w.ids()
    await w.start({SkipMatching: true}, await w.desired('2'))
    expect((await w.refresh()).Status).toBe('Successful')
    expect(await w.ids()).toEqual(replaced)
  })

  it('without skip matching every instance is replaced, matching or not', async () => {
    const w = await world()
    const before = await w.ids()
    await w.start({MinHealthyPercentage: 50}, await w.desired('1'))
    await w.until((r) => r.Status === 'Successful')
    expect([...(await w.ids())].filter((id) => before.has(id))).toEqual([])
  })
})

describe('CancelInstanceRefresh', () => {
  it('lets the batch in flight finish (Cancelling), then Cancelled; nothing more is replaced', async () => {
    const w = await world()
    const before = await w.ids()
    await w.start({MinHealthyPercentage: 75})
    const {InstanceRefreshId} = await w.autoScaling.send(
      new CancelInstanceRefreshCommand({AutoScalingGroupName: GROUP}),
    )
    expect(InstanceRefreshId).toBe((await w.refresh()).InstanceRefreshId)
    expect((await w.refresh()).Status).toBe('Cancelling')
    await w.until((r) => r.Status === 'Cancelled')
    w.clock.advance(600_000)
    expect([...(await w.ids())].filter((id) => before.has(id))).toHaveLength(3)
    expect((await w.group()).Instances).toHaveLength(4)
    const again = w.autoScaling.send(new CancelInstanceRefreshCommand({AutoScalingGroupName: GROUP}))
    expect(await rejection(again)).toEqual({
      name: 'ActiveInstanceRefreshNotFoundFault',
      message: `No in progress or pending Instance Refresh found for Auto Scaling group ${GROUP}`,
    })
  })

  it('with WaitForTransitioningInstances false is Cancelled at once', async () => {
    const w = await world()
    await w.start({MinHealthyPercentage: 75})
    await w.autoScaling.send(
      new CancelInstanceRefreshCommand({AutoScalingGroupName: GROUP, WaitForTransitioningInstances: false}),
    )
    expect((await w.refresh()).Status).toBe('Cancelled')
  })
})

describe('RollbackInstanceRefresh', () => {
  it('is IrreversibleInstanceRefresh without a desired configuration, ActiveInstanceRefreshNotFound with none running', async () => {
    const w = await world()
    const rollback = () =>
      w.autoScaling.send(new RollbackInstanceRefreshCommand({AutoScalingGroupName: GROUP}))
    expect(await rejection(rollback())).toMatchObject({name: 'ActiveInstanceRefreshNotFoundFault'})
    await w.start({MinHealthyPercentage: 75})
    expect(await rejection(rollback())).toMatchObject({name: 'IrreversibleInstanceRefreshFault'})
    expect((await w.refresh()).Status).toBe('InProgress')
  })

  it('replaces what the refresh replaced, back to the previous configuration', async () => {
    const w = await world()
    const before = await w.ids()
    // Paused at the 50 % checkpoint: two instances are new, two old.
    await w.start({MinHealthyPercentage: 50, CheckpointPercentages: [50, 100]}, await w.desired('2'))
    await w.until((r) => /^Checkpoint 1 of 2/.test(r.StatusReason ?? ''))
    await w.autoScaling.send(new RollbackInstanceRefreshCommand({AutoScalingGroupName: GROUP}))
    const rolling = await w.refresh()
    expect(rolling).toMatchObject({
      Status: 'RollbackInProgress',
      PercentageComplete: 50,
      InstancesToUpdate: 2,
    })
    expect(rolling.RollbackDetails).toMatchObject({
      RollbackReason: 'Rollback requested by a user.',
      PercentageCompleteOnRollback: 50,
      InstancesToUpdateOnRollback: 2,
    })
    await w.until((r) => r.Status === 'RollbackSuccessful')
    const instances = (await w.group()).Instances!
    expect(instances).toHaveLength(4)
    expect(instances.every((i) => i.LaunchTemplate!.Version === '1')).toBe(true)
    expect(instances.filter((i) => before.has(i.InstanceId!))).toHaveLength(2)
    expect((await w.template()).Version).toBe('1')
  })
})

describe('scale-in protected instances', () => {
  async function protectOne(w: Awaited<ReturnType<typeof world>>) {
    const protectedId = [...(await w.ids())][0]!
    await w.autoScaling.send(
      new SetInstanceProtectionCommand({
        AutoScalingGroupName: GROUP,
        InstanceIds: [protectedId],
        ProtectedFromScaleIn: true,
      }),
    )
    return protectedId
  }

  it('Ignore leaves them alone; Refresh replaces them', async () => {
    const w = await world()
    const protectedId = await protectOne(w)
    await w.start({MinHealthyPercentage: 50, ScaleInProtectedInstances: 'Ignore'})
    expect(await w.refresh()).toMatchObject({InstancesToUpdate: 3})
    await w.until((r) => r.Status === 'Successful')
    expect((await w.ids()).has(protectedId)).toBe(true)
    await w.start({MinHealthyPercentage: 50, ScaleInProtectedInstances: 'Refresh'})
    await w.until((r) => r.Status === 'Successful')
    expect((await w.ids()).has(protectedId)).toBe(false)
  })

  it('Wait holds the refresh for an hour, then it fails; AutoRollback then rolls it back', async () => {
    const w = await world()
    const protectedId = await protectOne(w)
    await w.start({MinHealthyPercentage: 50, AutoRollback: true}, await w.desired('2'))
    const waiting = await w.until((r) =>
      /^Waiting for scale-in protection to be removed/.test(r.StatusReason ?? ''),
    )
    expect(waiting.at(-1)!.StatusReason).toContain(protectedId)
    const rolled = await w.until((r) => r.Status !== 'InProgress', 4_000_000, 10_000)
    expect(rolled.at(-1)!.Status).toBe('RollbackInProgress')
    expect(rolled.at(-1)!.RollbackDetails!.RollbackReason).toMatch(
      /stayed protected from scale in for an hour/,
    )
    await w.until((r) => r.Status === 'RollbackSuccessful')
    expect((await w.group()).Instances!.every((i) => i.LaunchTemplate!.Version === '1')).toBe(true)
  })

  it('Wait without AutoRollback fails with the reason', async () => {
    const w = await world()
    await protectOne(w)
    await w.start({MinHealthyPercentage: 50})
    const failed = await w.until((r) => r.Status !== 'InProgress', 4_000_000, 10_000)
    expect(failed.at(-1)).toMatchObject({
      Status: 'Failed',
      StatusReason: expect.stringMatching(/ScaleInProtectedInstances is Wait/),
    })
  })
})

describe('StartInstanceRefresh validation', () => {
  it.each([
    [{MaxHealthyPercentage: 150}, 'ValidationError', 'you must also specify MinHealthyPercentage'],
    [{MinHealthyPercentage: 10, MaxHealthyPercentage: 200}, 'ValidationError', 'cannot be greater than 100'],
    [{MinHealthyPercentage: 101}, 'ValidationError', 'MinHealthyPercentage must be between 0 and 100'],
    [{CheckpointDelay: 60}, 'ValidationError', 'you must also specify CheckpointPercentages'],
    [{CheckpointPercentages: [50, 20]}, 'ValidationError', 'unique and in ascending order'],
    [
      {ScaleInProtectedInstances: 'Sometimes' as 'Wait'},
      'ValidationError',
      'must be one of Refresh, Ignore, Wait',
    ],
  ])('refuses %j', async (prefs, name, message) => {
    const w = await world()
    expect(await rejection(w.start(prefs))).toEqual({name, message: expect.stringContaining(message)})
    expect(await w.refresh()).toBeUndefined()
  })

  it('refuses a second refresh while one runs: InstanceRefreshInProgress', async () => {
    const w = await world()
    await w.start({MinHealthyPercentage: 75})
    expect(await rejection(w.start({}))).toMatchObject({name: 'InstanceRefreshInProgressFault'})
  })
})
