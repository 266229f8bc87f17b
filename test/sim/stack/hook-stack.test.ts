/**
 * The hook stack deployed to the sim through its CloudFormation API, with the SDK's real clients: the
 * lifecycle hook becomes a real hook on the group, Auto Scaling's notifications reach the Lambda through
 * SNS, and the Lambda (ecsdrain's bundled handler, run in a worker) drains the old instance of a rollout.
 */
import {
  AutoScalingClient,
  DescribeInstanceRefreshesCommand,
  DescribeLifecycleHooksCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling'
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation'
import {DescribeServicesCommand, ECSClient} from '@aws-sdk/client-ecs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadHandlerCode} from '../../../src/hook/bundle.js'
import {renderHookTemplate} from '../../../src/hook/template.js'
import {startSim, type RunningSim} from '../../../src/sim/index.js'
import type {SimWorld} from '../../../src/sim/world/index.js'
import {TEST_CREDENTIALS} from '../../helpers/sdk.js'

const CLUSTER = 'todobackend-cluster'
const STACK = 'ecsdrain-hook-test'
let sim: RunningSim
let cfn: CloudFormationClient
let asg: AutoScalingClient
let ecs: ECSClient
let group: string
let body: string

const until = async <T>(fn: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> => {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
const stackStatus = async () =>
  (await cfn.send(new DescribeStacksCommand({StackName: STACK}))).Stacks![0]!.StackStatus!
const lambdaEvents = () =>
  (sim.world as SimWorld).stack.lambda.logs.flatMap((l) => {
    try {
      return [JSON.parse(l.line) as {event: string}]
    } catch {
      return []
    }
  })

async function changeSet(type: 'CREATE' | 'UPDATE', name: string) {
  const {Id} = await cfn.send(
    new CreateChangeSetCommand({
      StackName: STACK,
      ChangeSetName: name,
      ChangeSetType: type,
      TemplateBody: body,
      Capabilities: ['CAPABILITY_IAM'],
    }),
  )
  return until(async () => {
    const cs = await cfn.send(new DescribeChangeSetCommand({ChangeSetName: Id, StackName: STACK}))
    return cs.Status === 'CREATE_PENDING' || cs.Status === 'CREATE_IN_PROGRESS' ? undefined : cs
  }, 'the change set')
}

beforeAll(async () => {
  sim = await startSim({port: 0, speed: 40, scenario: 'todobackend', hook: 'none'})
  const config = {endpoint: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS}
  cfn = new CloudFormationClient(config)
  asg = new AutoScalingClient(config)
  ecs = new ECSClient(config)
  group = sim.world.summary().autoScalingGroups[0]!
  body = renderHookTemplate({
    cluster: CLUSTER,
    autoScalingGroupName: group,
    heartbeatTimeout: 300,
    drainTimeout: 3600,
    handlerCode: await loadHandlerCode(),
    version: 'test',
  })
})
afterAll(async () => {
  await sim?.close()
})

describe('the hook stack in the sim', () => {
  it('creates through a change set, with per-resource events and outputs', async () => {
    const cs = await changeSet('CREATE', 'create-1')
    expect(cs.Status).toBe('CREATE_COMPLETE')
    expect(cs.Changes!.map((c) => c.ResourceChange!.Action)).toEqual(Array(cs.Changes!.length).fill('Add'))
    await cfn.send(new ExecuteChangeSetCommand({ChangeSetName: cs.ChangeSetId, StackName: STACK}))
    await until(
      async () => ((await stackStatus()) === 'CREATE_COMPLETE' ? true : undefined),
      'CREATE_COMPLETE',
    )

    const events = (await cfn.send(new DescribeStackEventsCommand({StackName: STACK}))).StackEvents!
    const completed = events
      .filter((e) => e.ResourceStatus === 'CREATE_COMPLETE')
      .map((e) => e.LogicalResourceId)
    expect(completed).toEqual(expect.arrayContaining(['LifecycleHook', 'DrainFunction', 'Topic', STACK]))
    const stack = (await cfn.send(new DescribeStacksCommand({StackName: STACK}))).Stacks![0]!
    expect(stack.Outputs!.find((o) => o.OutputKey === 'LifecycleHookName')!.OutputValue).toBe(STACK)
    expect((await cfn.send(new GetTemplateCommand({StackName: STACK}))).TemplateBody).toBe(body)

    const hooks = await asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: group}))
    expect(hooks.LifecycleHooks).toEqual([
      expect.objectContaining({LifecycleHookName: STACK, HeartbeatTimeout: 300, DefaultResult: 'CONTINUE'}),
    ])
    // Auto Scaling's test message went SNS -> Lambda, and the handler ignored it.
    await until(
      async () => (lambdaEvents().some((e) => e.event === 'ignored-test-notification') ? true : undefined),
      'the test notification in the Lambda logs',
    )
  })

  it('drains the old instance of a rollout with the Lambda: the service never drops to 0', async () => {
    const running: number[] = []
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const s = await ecs.send(new DescribeServicesCommand({cluster: CLUSTER, services: ['todobackend']}))
        running.push(s.services![0]!.runningCount!)
        await new Promise((r) => setTimeout(r, 25))
      }
    })()
    await asg.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: group,
        Preferences: {MinHealthyPercentage: 100, MaxHealthyPercentage: 200},
      }),
    )
    await until(
      async () => {
        const r = await asg.send(new DescribeInstanceRefreshesCommand({AutoScalingGroupName: group}))
        return r.InstanceRefreshes![0]!.Status === 'Successful' ? true : undefined
      },
      'the instance refresh',
      60_000,
    )
    sampling = false
    await sampler
    const events = lambdaEvents().map((e) => e.event)
    expect(events).toContain('completed')
    expect(running.length).toBeGreaterThan(10)
    expect(Math.min(...running)).toBeGreaterThanOrEqual(1)
  })

  it('refuses IAM without CAPABILITY_IAM, and rolls back a stack whose hook cannot be made', async () => {
    const bad = body.replaceAll(JSON.stringify(group), JSON.stringify('no-such-group'))
    await expect(
      cfn.send(
        new CreateChangeSetCommand({
          StackName: 'bad',
          ChangeSetName: 'b',
          ChangeSetType: 'CREATE',
          TemplateBody: bad,
        }),
      ),
    ).rejects.toThrow(/Requires capabilities : \[CAPABILITY_IAM\]/)
    const {Id} = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'bad',
        ChangeSetName: 'b',
        ChangeSetType: 'CREATE',
        TemplateBody: bad,
        Capabilities: ['CAPABILITY_IAM'],
      }),
    )
    await until(async () => {
      const cs = await cfn.send(new DescribeChangeSetCommand({ChangeSetName: Id, StackName: 'bad'}))
      return cs.ExecutionStatus === 'AVAILABLE' ? true : undefined
    }, 'the change set')
    await cfn.send(new ExecuteChangeSetCommand({ChangeSetName: Id, StackName: 'bad'}))
    await until(async () => {
      const st = (await cfn.send(new DescribeStacksCommand({StackName: 'bad'}))).Stacks![0]!.StackStatus
      return st === 'ROLLBACK_COMPLETE' ? true : undefined
    }, 'ROLLBACK_COMPLETE')
    const events = (await cfn.send(new DescribeStackEventsCommand({StackName: 'bad'}))).StackEvents!
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED')!
    expect(failed.LogicalResourceId).toBe('LifecycleHook')
    expect(failed.ResourceStatusReason).toMatch(/no-such-group/)
    // Everything the stack had made is deleted again.
    const made = new Set(
      events.filter((e) => e.ResourceStatus === 'CREATE_COMPLETE').map((e) => e.LogicalResourceId),
    )
    const deleted = new Set(
      events.filter((e) => e.ResourceStatus === 'DELETE_COMPLETE').map((e) => e.LogicalResourceId),
    )
    expect(made.size).toBeGreaterThan(3)
    expect([...made].filter((id) => !deleted.has(id))).toEqual([])
  })

  it('says an unchanged template has no changes, and deletes with events', async () => {
    const cs = await changeSet('UPDATE', 'update-1')
    expect(cs.Status).toBe('FAILED')
    expect(cs.StatusReason).toMatch(/didn't contain changes/)
    await cfn.send(new DeleteStackCommand({StackName: STACK}))
    const id = (await cfn.send(new DescribeStacksCommand({StackName: STACK}))).Stacks![0]!.StackId!
    await until(async () => {
      const s = (await cfn.send(new DescribeStacksCommand({StackName: id}))).Stacks![0]!
      return s.StackStatus === 'DELETE_COMPLETE' ? true : undefined
    }, 'DELETE_COMPLETE')
    const hooks = await asg.send(new DescribeLifecycleHooksCommand({AutoScalingGroupName: group}))
    expect(hooks.LifecycleHooks).toEqual([])
    await expect(cfn.send(new DescribeStacksCommand({StackName: STACK}))).rejects.toThrow(/does not exist/)
  })
})

describe('a drain longer than one Lambda invocation, in the sim', () => {
  it(
    'hands over through SNS with an attempt count, and the last invocation completes',
    {timeout: 90_000},
    async () => {
      // The target group's deregistration delay (AWS's 300 s) outlasts a 100 s Lambda less its 60 s safety margin.
      const slow = await startSim({
        port: 0,
        speed: 20,
        scenario: 'todobackend',
        hook: 'none',
      })
      try {
        const config = {endpoint: slow.endpoint, region: slow.region, credentials: TEST_CREDENTIALS}
        const group2 = slow.world.summary().autoScalingGroups[0]!
        const template = JSON.parse(
          renderHookTemplate({
            cluster: CLUSTER,
            autoScalingGroupName: group2,
            heartbeatTimeout: 300,
            drainTimeout: 3600,
            handlerCode: await loadHandlerCode(),
            version: 'test',
          }),
        ) as {Resources: {DrainFunction: {Properties: {Timeout: number}}}}
        template.Resources.DrainFunction.Properties.Timeout = 100
        const cfn2 = new CloudFormationClient(config)
        const {Id} = await cfn2.send(
          new CreateChangeSetCommand({
            StackName: STACK,
            ChangeSetName: 'c',
            ChangeSetType: 'CREATE',
            TemplateBody: JSON.stringify(template),
            Capabilities: ['CAPABILITY_IAM'],
          }),
        )
        await until(async () => {
          const cs = await cfn2.send(new DescribeChangeSetCommand({ChangeSetName: Id, StackName: STACK}))
          return cs.ExecutionStatus === 'AVAILABLE' ? true : undefined
        }, 'the change set')
        await cfn2.send(new ExecuteChangeSetCommand({ChangeSetName: Id, StackName: STACK}))
        await until(async () => {
          const st = (await cfn2.send(new DescribeStacksCommand({StackName: STACK}))).Stacks![0]!.StackStatus
          return st === 'CREATE_COMPLETE' ? true : undefined
        }, 'the stack')
        const asg2 = new AutoScalingClient(config)
        await asg2.send(
          new StartInstanceRefreshCommand({
            AutoScalingGroupName: group2,
            Preferences: {MinHealthyPercentage: 100, MaxHealthyPercentage: 200},
          }),
        )
        const logs = () =>
          (slow.world as SimWorld).stack.lambda.logs.flatMap((l) => {
            try {
              return [JSON.parse(l.line) as {event: string; attempt?: number}]
            } catch {
              return []
            }
          })
        const done = await until(
          async () => logs().find((e) => e.event === 'completed'),
          'the completing invocation',
          80_000,
        )
        expect(logs().filter((e) => e.event === 'handed-over').length).toBeGreaterThanOrEqual(1)
        expect(done.attempt).toBeGreaterThanOrEqual(1)

        // Least privilege that works: every call the Lambda made is allowed by its role.
        const ours = new Set(['autoscaling:StartInstanceRefresh'])
        const lambdaCalls = Object.keys(slow.stats.snapshot().operations).filter(
          (op) => !op.startsWith('cloudformation:') && !ours.has(op),
        )
        const role = JSON.stringify(
          (template as unknown as {Resources: Record<string, unknown>}).Resources.FunctionRole,
        )
        expect(lambdaCalls).toEqual(
          expect.arrayContaining(['sns:Publish', 'autoscaling:CompleteLifecycleAction']),
        )
        // The sim names ELBv2 `elbv2`; IAM's prefix for it is `elasticloadbalancing`.
        const iamAction = (op: string) => op.replace(/^elbv2:/, 'elasticloadbalancing:')
        for (const op of lambdaCalls.map(iamAction))
          expect(role, `${op} is not in the function's policy`).toContain(`"${op}"`)
      } finally {
        await slow.close()
      }
    },
  )
})
