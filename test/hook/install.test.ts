import {describe, expect, it} from 'vitest'

import type {AutoScalingPort} from '../../src/core/ports.js'
import {checkGroup, chooseGroup, defaultStackName} from '../../src/hook/install.js'
import {FakeWorld, GROUP, HOOK} from './fakes.js'

function withGroup(asg: AutoScalingPort, exists: boolean): AutoScalingPort {
  return {
    ...asg,
    describeAutoScalingGroups: async (names) =>
      exists
        ? names.map((n) => ({
            autoScalingGroupName: n,
            desiredCapacity: 1,
            minSize: 1,
            maxSize: 2,
            instances: [],
            status: null,
          }))
        : [],
  }
}

describe('install preflight', () => {
  it('warns about another terminating hook and about managed draining, not about its own hook', async () => {
    const asg = withGroup(new FakeWorld().autoScaling(), true)
    const warnings = await checkGroup(asg, GROUP, 'ecsdrain-todobackend-cluster', async () => ['cp-managed'])
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(new RegExp(`already has a terminating lifecycle hook, ${HOOK}`))
    expect(warnings[1]).toMatch(/Capacity provider cp-managed has managed instance draining enabled/)
    expect(await checkGroup(asg, GROUP, HOOK, async () => [])).toEqual([])
  })

  it('refuses an unknown group with exit 2 before anything else', async () => {
    const asg = withGroup(new FakeWorld().autoScaling(), false)
    await expect(checkGroup(asg, 'nope', 'x', async () => [])).rejects.toMatchObject({
      exitCode: 2,
      code: 'UNKNOWN_GROUP',
    })
  })

  it('takes the only group, and asks for --asg among several or none', () => {
    expect(chooseGroup(['a'], 'c')).toBe('a')
    expect(() => chooseGroup(['a', 'b'], 'c')).toThrow(/several groups: a, b/)
    expect(() => chooseGroup([], 'c')).toThrow(/belongs to an Auto Scaling group/)
  })

  it('names the stack after the cluster, as CloudFormation allows', () => {
    expect(defaultStackName('arn:aws:ecs:us-east-1:1:cluster/my_cluster.prod')).toBe(
      'ecsdrain-my-cluster-prod',
    )
  })
})
