/**
 * The differential conformance suite (issue 9 items 1 and 6): the same scripted boto3 calls
 * (differential.py, one python process per target) against the sim and against moto_server.
 *
 * - Against the sim, for every operation it implements: botocore reads every reply; every raw reply matches
 *   botocore's copy of the AWS API model (members, types, the Query <OpResult> element, error formats and
 *   codes); CloudWatch answers alike over JSON, CBOR and Query; each call ends as AWS documents.
 * - Against moto: where both implement an operation, the outcome (success, or the error code) is the same,
 *   and every member moto's reply has, the sim's has too. Where moto is wrong or lacks the operation, the
 *   tables below say so, and the test checks that moto still behaves as they say.
 * The AWS CLIs drive the same operations in aws-cli.test.ts.
 */
import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startMoto, type MotoServer} from '../helpers/moto.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'

const run = promisify(execFile)
const SCRIPT = fileURLToPath(new URL('./differential.py', import.meta.url))

interface Call {
  key: string
  service: string
  operation: string
  protocol: string
  ok: boolean
  status: number | null
  code?: string | null
  crash?: string
  shape?: unknown
  modelProblems?: string[]
}
interface Report {
  calls: Call[]
  skipped: {key: string; service: string; operation: string}[]
  invokePayload?: string
}

/** How each call ends in the sim, as AWS documents it; every other call succeeds. */
const SIM_ERRORS: Record<string, string> = {
  'ecs ListContainerInstances (unknown cluster)': 'ClusterNotFoundException',
  'ecs UpdateContainerInstancesState (bad status)': 'InvalidParameterException',
  'ecs DescribeServices (unknown cluster)': 'ClusterNotFoundException',
  'ecs StopTask (unknown task)': 'InvalidParameterException',
  'autoscaling UpdateAutoScalingGroup (min above max)': 'ValidationError',
  'autoscaling SetDesiredCapacity (above max)': 'ValidationError',
  'autoscaling DeleteLifecycleHook (unknown)': 'ValidationError',
  'autoscaling RollbackInstanceRefresh (no desired configuration)': 'IrreversibleInstanceRefresh',
  'autoscaling CancelInstanceRefresh (none active)': 'ActiveInstanceRefreshNotFound',
  'autoscaling TerminateInstanceInAutoScalingGroup (unknown)': 'ValidationError',
  'autoscaling CompleteLifecycleAction (already completed)': 'ValidationError',
  'cloudwatch GetMetricStatistics (bad period) (json)': 'InvalidParameterValue',
  'cloudwatch GetMetricStatistics (bad period) (cbor)': 'InvalidParameterValue',
  'cloudwatch GetMetricStatistics (bad period) (query)': 'InvalidParameterValue',
  'cloudformation DescribeStacks (unknown)': 'ValidationError',
  'sns GetTopicAttributes (unknown)': 'NotFound',
  // SQS's JSON protocol is query-compatible: botocore reads the Query code from x-amzn-query-error.
  'sqs GetQueueUrl (unknown)': 'AWS.SimpleQueueService.NonExistentQueue',
  'lambda GetFunction (unknown)': 'ResourceNotFoundException',
}

/** Raw-reply findings that are the model's gap, not the sim's. */
const MODEL_GAPS: {key: string; problem: RegExp; why: string}[] = [
  {
    key: 'cloudformation DescribeStackEvents',
    problem: /ResourceStatus: "REVIEW_IN_PROGRESS" is not one of/,
    why:
      "CloudFormation writes REVIEW_IN_PROGRESS ('User Initiated') as the stack's own first event when a change set " +
      "creates it, though the model's ResourceStatus enum lacks the value (the stack's StackStatus has it)",
  },
]

/** Where moto_server 5.2 answers otherwise than AWS: its outcome (ok, or its error code), and why it is wrong. */
const MOTO_DIFFERS: Record<string, {moto: 'ok' | string | null; why: string}> = {
  'ecs ListContainerInstances (unknown cluster)': {
    moto: 'ok',
    why: 'moto lists nothing for an unknown cluster; ECS answers ClusterNotFoundException (ListContainerInstances Errors)',
  },
  'ecs DescribeCapacityProviders': {moto: '500', why: 'moto fails with HTTP 500 when no names are given'},
  'ecs StopTask (unknown task)': {moto: '500', why: 'moto fails with HTTP 500 for an unknown task'},
  'autoscaling UpdateAutoScalingGroup (min above max)': {
    moto: 'ok',
    why: 'moto does not check MinSize <= MaxSize; Auto Scaling refuses it with ValidationError',
  },
  'autoscaling SetDesiredCapacity (above max)': {
    moto: 'ok',
    why: 'moto does not check DesiredCapacity against MaxSize; Auto Scaling refuses it with ValidationError',
  },
  'autoscaling DeleteLifecycleHook (unknown)': {
    moto: 'ok',
    why: 'moto deletes a hook that is not there without complaint',
  },
  'autoscaling TerminateInstanceInAutoScalingGroup': {
    moto: null,
    why:
      'moto fails with HTTP 500 (an uncaught StopIteration in its terminate_instance) for an instance it no longer lists ' +
      'in the group, after it let the group through UpdateAutoScalingGroup with MinSize 5 > MaxSize 4 above',
  },
  'autoscaling TerminateInstanceInAutoScalingGroup (unknown)': {
    moto: null,
    why: 'moto fails with HTTP 500 (the same StopIteration) for an unknown instance; Auto Scaling answers ValidationError',
  },
  'cloudwatch GetMetricStatistics (bad period)': {
    moto: 'ok',
    why: 'moto accepts a Period that is not a multiple of 60; CloudWatch answers InvalidParameterValue',
  },
}

/** Operations the sim implements and moto_server 5.2 does not (no handler in its responses.py). */
const MOTO_LACKS = new Set([
  'StartInstanceRefresh',
  'DescribeInstanceRefreshes',
  'CancelInstanceRefresh',
  'RollbackInstanceRefresh',
  'RecordLifecycleActionHeartbeat',
  'CompleteLifecycleAction',
  'UpdateTaskProtection',
  'GetTaskProtection',
])

/** Members moto's replies carry that AWS's do not here (EC2 launch type, no tags asked for, no task sets). */
const MOTO_EXTRA: Record<string, {members: string[]; why: string}> = {
  'ecs CreateService': {
    members: [
      'service.deployments.[].platformFamily',
      'service.networkConfiguration',
      'service.tags',
      'service.taskSets',
    ],
    why: 'platformFamily is for Fargate, networkConfiguration for awsvpc, taskSets for the EXTERNAL controller; tags only when asked for',
  },
  'ecs UpdateService': {
    members: [
      'service.deployments.[].platformFamily',
      'service.networkConfiguration',
      'service.tags',
      'service.taskSets',
    ],
    why: 'as CreateService',
  },
  'ecs DescribeServices': {
    members: [
      'services.[].deployments.[].platformFamily',
      'services.[].networkConfiguration',
      'services.[].taskSets',
    ],
    why: 'as CreateService',
  },
  'ecs RunTask': {
    members: ['tasks.[].containers.[].exitCode', 'tasks.[].startedBy', 'tasks.[].stoppedReason'],
    why: 'a task just started has no exit code or stop reason; startedBy only when RunTask was given one',
  },
  'ecs DescribeTasks': {
    members: ['tasks.[].containers.[].exitCode', 'tasks.[].startedBy', 'tasks.[].stoppedReason'],
    why: 'as RunTask',
  },
  'ecs StopTask': {
    members: ['task.startedBy', 'task.containers.[].exitCode'],
    why: 'startedBy only when RunTask was given one; StopTask answers while the task is still stopping, and AWS reports a container exitCode only once it has exited (API_Container)',
  },
  'sns GetTopicAttributes': {
    members: ['Attributes.DeliveryPolicy'],
    why: 'SNS returns DeliveryPolicy only once one is set (EffectiveDeliveryPolicy is always there)',
  },
  'autoscaling DescribeAutoScalingGroups (without instances)': {
    members: ['AutoScalingGroups.[].Instances'],
    why:
      'moto 5.2 ignores IncludeInstances=false and lists the members anyway; Auto Scaling leaves them out ' +
      '(API_DescribeAutoScalingGroups, IncludeInstances)',
  },
  'autoscaling DescribeLifecycleHooks': {
    members: ['LifecycleHooks.[].NotificationTargetARN', 'LifecycleHooks.[].RoleARN'],
    why: 'moto writes empty ones for a hook that has no notification target',
  },
}

let sim: TestSim
let moto: MotoServer
let simReport: Report
let motoReport: Report
let simOps: Record<string, string[]>

async function drive(
  target: 'sim' | 'moto',
  endpoint: string,
  ops: Record<string, string[]> = {},
): Promise<Report> {
  try {
    const {stdout} = await run('python3', [SCRIPT, target, endpoint, JSON.stringify(ops)], {
      timeout: 150_000,
      maxBuffer: 64 * 1024 * 1024,
    })
    return JSON.parse(stdout) as Report
  } catch (error) {
    const stderr = (error as {stderr?: string}).stderr ?? ''
    throw new Error(`differential.py ${target} failed: ${stderr.slice(-3000)}`, {cause: error})
  }
}

beforeAll(async () => {
  // A real clock, 30 times faster: change sets and stacks complete on the sim's timers while python waits.
  ;[sim, moto] = await Promise.all([
    startTestSim({scenario: 'todobackend', hook: 'manual', speed: 30}),
    startMoto(),
  ])
  simOps = Object.fromEntries(Object.entries(sim.world.handlers).map(([s, h]) => [s, Object.keys(h ?? {})]))
  ;[simReport, motoReport] = await Promise.all([
    drive('sim', sim.endpoint, simOps),
    drive('moto', moto.endpoint),
  ])
}, 240_000)
afterAll(async () => {
  await Promise.all([sim?.close(), moto?.stop()])
})

/** Dotted member paths of a parsed reply's shape (`[]` for list items). */
function members(shape: unknown, prefix = ''): Set<string> {
  const out = new Set<string>()
  if (Array.isArray(shape)) {
    if (shape.length > 0) for (const m of members(shape[0], `${prefix}[].`)) out.add(m)
  } else if (shape && typeof shape === 'object') {
    for (const [k, v] of Object.entries(shape)) {
      out.add(`${prefix}${k}`)
      for (const m of members(v, `${prefix}${k}.`)) out.add(m)
    }
  }
  return out
}

const outcome = (c: Call) => (c.ok ? 'ok' : c.status === 500 ? '500' : (c.code ?? null))
/** The moto call a sim call compares with: CloudWatch runs once against moto, thrice against the sim. */
const motoKey = (key: string) => key.replace(/ \((json|cbor|query)\)$/, '')

describe('boto3 against the sim: every operation it implements', () => {
  it('drives every operation of every service the sim serves', () => {
    const driven = new Set(simReport.calls.map((c) => `${c.service}:${c.operation}`))
    const missing = Object.entries(simOps).flatMap(([s, ops]) =>
      ops.filter((op) => !driven.has(`${s}:${op}`)).map((op) => `${s}:${op}`),
    )
    expect(missing, 'add a call for each to differential.py').toEqual([])
  })

  it('botocore reads every reply, and every raw reply matches the AWS API model', () => {
    const problems = simReport.calls.flatMap((c) =>
      [...(c.crash ? [`botocore could not read it: ${c.crash}`] : []), ...(c.modelProblems ?? [])]
        .filter((p) => !MODEL_GAPS.some((g) => g.key === c.key && g.problem.test(p)))
        .map((p) => `${c.key}: ${p}`),
    )
    expect(problems).toEqual([])
  })

  it('the model gaps allowed above are still there (else remove them)', () => {
    for (const gap of MODEL_GAPS) {
      const call = simReport.calls.find((c) => c.key === gap.key)!
      expect(
        call.modelProblems!.some((p) => gap.problem.test(p)),
        gap.why,
      ).toBe(true)
    }
  })

  it('each call ends as AWS documents: the expected error code, or success', () => {
    const ends = Object.fromEntries(simReport.calls.map((c) => [c.key, outcome(c)]))
    const expected = Object.fromEntries(simReport.calls.map((c) => [c.key, SIM_ERRORS[c.key] ?? 'ok']))
    expect(ends).toEqual(expected)
    expect(simReport.invokePayload).toBe('{"echo":{"x":1}}')
  })
})

describe('boto3 against the sim and moto_server: where both implement the operation', () => {
  const compared = () =>
    simReport.calls
      .map((c) => ({sim: c, moto: motoReport.calls.find((m) => m.key === motoKey(c.key))}))
      .filter((p): p is {sim: Call; moto: Call} => p.moto !== undefined && !MOTO_LACKS.has(p.sim.operation))

  it('the same outcome: success, or the same error code', () => {
    const differ = compared()
      .filter(({sim: s}) => !MOTO_DIFFERS[motoKey(s.key)])
      .filter(({sim: s, moto: m}) => outcome(s) !== outcome(m))
      .map(({sim: s, moto: m}) => `${s.key}: sim ${outcome(s)}, moto ${outcome(m)}`)
    expect(differ).toEqual([])
    expect(compared().length).toBeGreaterThan(50)
  })

  it('where moto differs from AWS, it still does as the notes say', () => {
    for (const [key, note] of Object.entries(MOTO_DIFFERS)) {
      const m = motoReport.calls.find((c) => c.key === key)
      expect(m, key).toBeDefined()
      expect(outcome(m!), `${key}: ${note.why}`).toBe(note.moto)
    }
  })

  it('every member in a reply of moto is in the sim reply too', () => {
    const lacking = compared()
      .filter(({sim: s, moto: m}) => s.ok && m.ok)
      .flatMap(({sim: s, moto: m}) => {
        const extra = MOTO_EXTRA[motoKey(s.key)]?.members ?? []
        const allowed = (p: string) => extra.some((e) => p === e || p.startsWith(`${e}.`))
        const simMembers = members(s.shape)
        return [...members(m.shape)]
          .filter((p) => !simMembers.has(p) && !allowed(p))
          .map((p) => `${s.key}: ${p}`)
      })
    expect(lacking).toEqual([])
  })

  it('IncludeInstances=false leaves the members out in the sim; moto still lists them (see MOTO_EXTRA)', () => {
    const shapeOf = (r: Report, key: string) =>
      (r.calls.find((c) => c.key === key)?.shape as {AutoScalingGroups: Record<string, unknown>[]})
        .AutoScalingGroups[0]!
    const key = 'autoscaling DescribeAutoScalingGroups'
    expect(shapeOf(simReport, key)).toHaveProperty('Instances')
    expect(shapeOf(simReport, `${key} (without instances)`)).not.toHaveProperty('Instances')
    expect(shapeOf(simReport, `${key} (without instances)`)).toHaveProperty('DesiredCapacity')
    expect(shapeOf(motoReport, `${key} (without instances)`)).toHaveProperty('Instances')
  })

  it('moto still lacks the operations listed as missing there', () => {
    const calls = motoReport.calls.filter((c) => MOTO_LACKS.has(c.operation))
    expect(new Set(calls.map((c) => c.operation))).toEqual(MOTO_LACKS)
    for (const c of calls) expect(c.ok, `${c.key} now works in moto: compare it`).toBe(false)
  })
})
