/**
 * Least privilege, measured both ways (issue 13): the drain function's role (src/hook/template-iam.ts) grants
 * exactly what the handler calls. Two traced drains in the sim cover its paths: a rollout of a group behind a
 * capacity provider (the explainer asks about capacity providers only then), and a drain that outlasts one
 * invocation (the hand-over publishes to the stack's own topic). The only calls over HTTP besides the
 * stack's deployment are the Lambda's and the test's one StartInstanceRefresh: the test waits on the world
 * in-process, so none of its own reads can stand in for a call the handler never made.
 * - every call the Lambda made is granted;
 * - every granted action is called on one of these paths, or is in SERVICE_SIDE_ACTIONS (the AWS service
 *   calls it with the role: Lambda's dead letters and logs, SNS's encryption key).
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation'
import {AutoScalingClient, StartInstanceRefreshCommand} from '@aws-sdk/client-auto-scaling'
import {beforeAll, describe, expect, it} from 'vitest'

import {loadHandlerCode} from '../../../src/hook/bundle.js'
import {SERVICE_SIDE_ACTIONS, functionPolicy, grantedActions} from '../../../src/hook/template-iam.js'
import {renderHookTemplate} from '../../../src/hook/template.js'
import {startSim, type RunningSim, type SimOptions} from '../../../src/sim/index.js'
import type {SimWorld} from '../../../src/sim/world/index.js'
import {TEST_CREDENTIALS} from '../../helpers/sdk.js'

const CLUSTER = 'todobackend-cluster'
const STACK = 'ecsdrain-least-privilege'
/** The sim names ELBv2 `elbv2`; IAM's prefix for it is `elasticloadbalancing`. */
const iamAction = (op: string) => op.replace(/^elbv2:/, 'elasticloadbalancing:')

const until = async <T>(fn: () => T | undefined, what: string, ms: number): Promise<T> => {
  for (const end = Date.now() + ms; ;) {
    const v = fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Deploys the stack, rolls the group, and returns the IAM actions of the calls the Lambda made. */
async function tracedDrain(options: SimOptions, functionTimeout?: number): Promise<Set<string>> {
  const sim: RunningSim = await startSim({port: 0, scenario: 'todobackend', hook: 'none', ...options})
  try {
    const config = {endpoint: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS}
    const group = sim.world.summary().autoScalingGroups[0]!
    const template = JSON.parse(
      renderHookTemplate({
        cluster: CLUSTER,
        autoScalingGroupName: group,
        heartbeatTimeout: 300,
        drainTimeout: 3600,
        handlerCode: await loadHandlerCode(),
        version: 'test',
      }),
    ) as {Resources: {DrainFunction: {Properties: {Timeout: number}}}}
    if (functionTimeout) template.Resources.DrainFunction.Properties.Timeout = functionTimeout
    const cfn = new CloudFormationClient(config)
    const {Id} = await cfn.send(
      new CreateChangeSetCommand({
        StackName: STACK,
        ChangeSetName: 'c',
        ChangeSetType: 'CREATE',
        TemplateBody: JSON.stringify(template),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    )
    for (let s = ''; s !== 'AVAILABLE'; await new Promise((r) => setTimeout(r, 50)))
      s = (await cfn.send(new DescribeChangeSetCommand({ChangeSetName: Id, StackName: STACK})))
        .ExecutionStatus!
    await cfn.send(new ExecuteChangeSetCommand({ChangeSetName: Id, StackName: STACK}))
    for (let s = ''; s !== 'CREATE_COMPLETE'; await new Promise((r) => setTimeout(r, 50)))
      s = (await cfn.send(new DescribeStacksCommand({StackName: STACK}))).Stacks![0]!.StackStatus!
    const world = sim.world as SimWorld
    // The test notification's invocation reads nothing; start counting once it has run.
    await until(
      () => (world.stack.lambda.logs.length > 0 ? true : undefined),
      'the test notification',
      20_000,
    )
    sim.stats.reset()
    await new AutoScalingClient(config).send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: group,
        // Managed termination protection protects the instance: a refresh skips it unless told to refresh it.
        Preferences: {
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 200,
          ScaleInProtectedInstances: 'Refresh',
        },
      }),
    )
    await until(
      () => (world.stack.lambda.logs.some((l) => l.line.includes('"event":"completed"')) ? true : undefined),
      'the completing invocation',
      80_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${world.stack.lambda.logs.map((l) => l.line.slice(0, 160)).join('\n')}`)
    })
    return new Set(
      Object.keys(sim.stats.snapshot().operations)
        .filter((op) => op !== 'autoscaling:StartInstanceRefresh')
        .map(iamAction),
    )
  } finally {
    await sim.close()
  }
}

let behindCapacityProvider: Set<string>
let handedOver: Set<string>
beforeAll(async () => {
  behindCapacityProvider = await tracedDrain({speed: 40, knobs: {capacityProviders: true}})
  // The target group's 300 s deregistration delay outlasts a 100 s function less its 60 s safety margin.
  handedOver = await tracedDrain({speed: 20}, 100)
}, 200_000)

describe("the drain function's role, both ways", () => {
  const granted = grantedActions(functionPolicy(CLUSTER, 'group'))

  it('grants every call the handler made', () => {
    const called = new Set([...behindCapacityProvider, ...handedOver])
    expect([...called]).toEqual(
      expect.arrayContaining([
        'ecs:DescribeCapacityProviders',
        'sns:Publish',
        'autoscaling:CompleteLifecycleAction',
      ]),
    )
    for (const action of called) expect(granted, `${action} is called but not granted`).toContain(action)
  })

  it('calls every action it grants, or an AWS service does with the role', () => {
    const called = new Set([...behindCapacityProvider, ...handedOver])
    const unused = granted.filter((a) => !called.has(a) && !(a in SERVICE_SIDE_ACTIONS))
    expect(unused, 'granted, but no path of the handler calls them').toEqual([])
    // And the service-side list holds only what the handler itself never calls.
    for (const a of Object.keys(SERVICE_SIDE_ACTIONS)) {
      expect(granted).toContain(a)
      expect(called.has(a), `${a} is called by the handler: not service-side`).toBe(false)
    }
  })
})
