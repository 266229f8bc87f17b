import {afterEach, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../src/aws/index.js'

import type {AutoScalingPort, CapacityProviderInfo, EcsDetailsPort} from '../../src/core/ports.js'
import {assumeYes, noAnswers, type PromptPort} from '../../src/core/prompt.js'
import {checkGroup, chooseGroup, defaultStackName, planInstall} from '../../src/hook/install.js'
import {MULTI_AZ_CLUSTER, MULTI_AZ_COMPUTE_GROUP, MULTI_AZ_GROUP} from '../../src/sim/scenarios/multi-az.js'
import {containerInstance} from '../helpers/core-shapes.js'
import {startTestSim, TEST_CREDENTIALS, type TestSim} from '../helpers/sim.js'
import {CLUSTER, FakeWorld, GROUP, HOOK} from './fakes.js'

/** The cluster's instances, each behind the named capacity provider (or none). */
function ports(o: {exists?: boolean; providers?: Array<string | null>; managed?: string[]} = {}) {
  const world = new FakeWorld()
  const asked: string[][] = []
  const ecs = world.ecs()
  const instances = (o.providers ?? [null]).map((p, i) =>
    containerInstance(
      {cluster: CLUSTER, containerInstanceArn: `ci-${i}`, ec2InstanceId: `i-0${i}23456789abcdef0`},
      {capacityProviderName: p},
    ),
  )
  const ecsDetails: Pick<EcsDetailsPort, 'describeCapacityProviders'> = {
    describeCapacityProviders: async (names) => {
      asked.push(names)
      return names.map((name): CapacityProviderInfo => ({
        name,
        autoScalingGroupArn: null,
        managedDraining: (o.managed ?? []).includes(name),
        managedTerminationProtection: false,
      }))
    },
  }
  return {
    asked,
    ports: {
      ecs: {...ecs, listContainerInstances: async () => instances},
      autoScaling: withGroup(world.autoScaling(), o.exists ?? true),
      ecsDetails: ecsDetails as EcsDetailsPort,
    },
  }
}

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
    const {ports: p, asked} = ports({
      providers: ['cp-managed', 'cp-plain', 'cp-managed', null],
      managed: ['cp-managed'],
    })
    const warnings = await checkGroup(p, CLUSTER, GROUP, 'ecsdrain-todobackend-cluster')
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(new RegExp(`already has a terminating lifecycle hook, ${HOOK}`))
    expect(warnings[1]).toMatch(/Capacity provider cp-managed has managed instance draining enabled/)
    // Each provider of the cluster's instances asked about once, through the port.
    expect(asked).toEqual([['cp-managed', 'cp-plain']])
    expect(await checkGroup(ports({providers: ['cp-plain']}).ports, CLUSTER, GROUP, HOOK)).toEqual([])
  })

  it('asks nothing about capacity providers when no instance has one', async () => {
    const {ports: p, asked} = ports({providers: [null, null]})
    expect(await checkGroup(p, CLUSTER, GROUP, HOOK)).toEqual([])
    expect(asked).toEqual([])
  })

  it('refuses an unknown group with exit 2 before anything else', async () => {
    await expect(checkGroup(ports({exists: false}).ports, CLUSTER, 'nope', 'x')).rejects.toMatchObject({
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

describe('planInstall, against the sim', () => {
  const inputs = {heartbeatTimeout: 900, drainTimeoutSeconds: 3600, version: '0.0.0'}
  let sim: TestSim | undefined
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })
  const awsOf = (s: TestSim) =>
    createAwsPorts({endpointUrl: s.endpoint, region: s.region, credentials: TEST_CREDENTIALS})

  it('asks which group among several, by code, and uses the answer', async () => {
    sim = await startTestSim({scenario: 'multi-az'})
    const asked: Array<{code: string; options: readonly string[]}> = []
    const prompt: PromptPort = {...noAnswers, choose: async (q) => (asked.push(q), q.options[1])}
    const plan = await planInstall(awsOf(sim), prompt, {...inputs, check: true})
    expect(asked).toEqual([
      {
        code: 'GROUP_CHOICE',
        message: expect.any(String),
        options: [MULTI_AZ_COMPUTE_GROUP, MULTI_AZ_GROUP].sort(),
      },
    ])
    expect(plan).toMatchObject({
      cluster: MULTI_AZ_CLUSTER,
      group: asked[0]!.options[1],
      stackName: `ecsdrain-${MULTI_AZ_CLUSTER}`,
    })
    expect(JSON.parse(plan.templateBody)).toHaveProperty('Resources')
  })

  it('without an answer, names the groups and asks for --asg (exit 2)', async () => {
    sim = await startTestSim({scenario: 'multi-az'})
    await expect(planInstall(awsOf(sim), assumeYes, {...inputs, check: false})).rejects.toMatchObject({
      exitCode: 2,
      code: 'SEVERAL_GROUPS',
    })
  })

  it("warns about the cluster's capacity provider with managed draining, read through the port", async () => {
    sim = await startTestSim({scenario: 'todobackend', hook: 'none', knobs: {capacityProviders: true}})
    const aws = awsOf(sim)
    const plan = await planInstall(aws, noAnswers, {...inputs, check: true})
    expect(plan.warnings.join('\n')).toMatch(/Capacity provider \S+ has managed instance draining enabled/)
    expect(aws.ledger.summary().calls).toBeGreaterThan(0)
    expect((await sim.fetchStats()).operations['ecs:DescribeCapacityProviders']?.calls).toBe(1)
  })
})
