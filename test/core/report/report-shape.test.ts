/**
 * The `report --json` contract (src/core/report/types.ts, the README's "report" section): its shape is pinned
 * here, so that a field renamed or removed fails a test (fields are only ever added, and then added here).
 * And buildReport's rules on hand-made evidence: the timeline of a drained and of a killed instance, the
 * lowest running count, outage minutes and the verdict.
 */
import {describe, expect, it} from 'vitest'

import {buildReport, type ReportEvidence} from '../../../src/core/report/index.js'
import type {ScalingActivity, ServiceInfo, TaskInfo} from '../../../src/core/types.js'

const T0 = Date.parse('2026-12-01T10:00:00Z')
const at = (min: number, sec = 0) => new Date(T0 + min * 60_000 + sec * 1000)
const GROUP = 'g'
const CI = (n: number) => `arn:aws:ecs:us-east-1:1:container-instance/c/${n}`

function task(
  id: string,
  ci: number,
  start: number,
  stop: number | null,
  extra: Partial<TaskInfo> = {},
): TaskInfo {
  return {
    taskArn: `arn:aws:ecs:us-east-1:1:task/c/${id}`,
    containerInstanceArn: CI(ci),
    group: 'service:web',
    startedBy: 'ecs-svc/1',
    lastStatus: stop === null ? 'RUNNING' : 'STOPPED',
    desiredStatus: stop === null ? 'RUNNING' : 'STOPPED',
    taskDefinitionArn: 'td:1',
    cpu: 256,
    memory: 512,
    hostPorts: [],
    startedAt: at(start),
    stoppingAt: stop === null ? null : at(stop),
    stoppedAt: stop === null ? null : at(stop, 30),
    stoppedReason: stop === null ? null : 'Service web: container instance is in DRAINING state',
    stopCode: stop === null ? null : 'ServiceSchedulerInitiated',
    ...extra,
  }
}

const terminating = (id: string, start: number, end: number): ScalingActivity => ({
  activityId: `a-${id}`,
  autoScalingGroupName: GROUP,
  description: `Terminating EC2 instance: ${id}`,
  cause:
    'At 2026-12-01T10:05:00Z an instance was taken out of service in response to an instance refresh.  More',
  statusCode: 'Successful',
  startTime: at(start),
  endTime: at(end),
  progress: 100,
})

const web = (running: number): ServiceInfo => ({
  serviceName: 'web',
  serviceArn: 'arn:svc/web',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: running,
  pendingCount: 0,
  schedulingStrategy: 'REPLICA',
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  taskDefinition: 'td:1',
  events: [],
})

function evidence(over: Partial<ReportEvidence> = {}): ReportEvidence {
  return {
    cluster: 'c',
    window: {start: T0, end: T0 + 30 * 60_000},
    now: T0 + 30 * 60_000,
    activities: [terminating('i-0aaa', 5, 14)],
    refreshes: [
      {
        instanceRefreshId: 'r-1',
        autoScalingGroupName: GROUP,
        status: 'Successful',
        percentageComplete: 100,
        startTime: at(4),
        endTime: at(15),
        statusReason: null,
      },
    ],
    services: [web(2)],
    // Two tasks ran on i-0aaa (CI 1) since before the window; replacements started at 6 and 7 on CI 2.
    tasks: [
      task('old1', 1, -60, 7),
      task('old2', 1, -60, 8),
      task('new1', 2, 6, null),
      task('new2', 2, 7, null),
    ],
    instanceOf: new Map([
      [CI(1), 'i-0aaa'],
      [CI(2), 'i-0bbb'],
    ]),
    hooks: new Map([
      [
        GROUP,
        [
          {
            hookName: 'drain-hook',
            autoScalingGroupName: GROUP,
            transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
            heartbeatTimeout: 900,
            globalTimeout: 90_000,
            defaultResult: 'ABANDON',
            notificationTargetArn: null,
          },
        ],
      ],
    ]),
    stackTopicArn: null,
    memory: Array.from({length: 31}, (_, m) => ({timestamp: at(m), value: 50})),
    ...over,
  }
}

/** Every key of the value with the type of what it holds: the contract, without the data. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : []
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]))
  return v === null ? 'null' : typeof v
}

describe('report --json contract', () => {
  it('has the documented shape', () => {
    const step = {at: 'string', evidence: 'string', note: 'string'}
    const r = JSON.parse(JSON.stringify(buildReport(evidence()))) as unknown
    expect(shape(r)).toEqual({
      cluster: 'string',
      window: {start: 'string', end: 'string'},
      refreshes: [
        {
          instanceRefreshId: 'string',
          autoScalingGroupName: 'string',
          status: 'string',
          percentageComplete: 'number',
          startTime: 'string',
          endTime: 'string',
          statusReason: 'null',
        },
      ],
      instances: [
        {
          ec2InstanceId: 'string',
          autoScalingGroupName: 'string',
          timeline: {
            terminating: step,
            draining: step,
            lastTaskStopped: step,
            lifecycleActionCompleted: {...step, by: 'string', result: 'string'},
            terminated: step,
          },
          tasksMoved: [
            {
              taskArn: 'string',
              service: 'string',
              stoppedAt: 'string',
              stopCode: 'string',
              stoppedReason: 'string',
            },
          ],
          terminatedWithTasks: 'boolean',
        },
      ],
      launched: [],
      services: [
        {
          service: 'string',
          desiredCount: 'number',
          minimumHealthy: 'number',
          lowestRunning: 'number',
          lowestAt: 'string',
          belowMinimum: 'boolean',
          countedFrom: 'string',
          countedUntil: 'string',
        },
      ],
      memoryReservation: {minutes: [{at: 'string', minimum: 'number'}], outageMinutes: []},
      verdict: {outage: 'boolean', outageMinutes: 'number', firstAt: 'null', service: 'null', text: 'string'},
      limits: ['string'],
    })
  })
})

describe('buildReport', () => {
  it('a drained instance: DRAINING from the first task told to stop, last STOPPED from stoppedAt, no outage', () => {
    const r = buildReport(evidence())
    const i = r.instances[0]!
    expect(i.timeline.terminating).toMatchObject({at: at(5).toISOString(), evidence: 'auto-scaling'})
    expect(i.timeline.draining).toMatchObject({at: at(7).toISOString(), evidence: 'inferred'})
    expect(i.timeline.lastTaskStopped).toMatchObject({at: at(8, 30).toISOString(), evidence: 'ecs'})
    expect(i.timeline.terminated.at).toBe(at(14).toISOString())
    expect(i.timeline.lifecycleActionCompleted.by).toContain('CompleteLifecycleAction on hook drain-hook')
    expect(i.tasksMoved.map((t) => t.taskArn.split('/').at(-1))).toEqual(['old1', 'old2'])
    expect(i.terminatedWithTasks).toBe(false)
    // 2 old + new1 from 6 to 7, 2 from then on: never below 2.
    expect(r.services[0]).toMatchObject({lowestRunning: 2, belowMinimum: false})
    expect(r.verdict).toEqual({
      outage: false,
      outageMinutes: 0,
      firstAt: null,
      service: null,
      text: 'no outage',
    })
  })

  it('a task stopped before its replacement started: the dip is the lowest count, below the minimum', () => {
    const r = buildReport(
      evidence({
        tasks: [
          task('old1', 1, -60, 7),
          task('old2', 1, -60, 8),
          task('new1', 2, 9, null),
          task('new2', 2, 10, null),
        ],
      }),
    )
    expect(r.services[0]).toMatchObject({lowestRunning: 0, lowestAt: at(8).toISOString(), belowMinimum: true})
    expect(r.verdict.text).toBe(
      `outage: service web at 0 running at ${at(8).toISOString()} (the cluster's MemoryReservation never reached 0 %)`,
    )
  })

  it('a killed instance and 0 % minutes: the outage verdict names the minutes, the first, the service', () => {
    const killed = (id: string) =>
      task(id, 1, -60, 6, {
        stopCode: 'TerminationNotice',
        stoppedReason: 'Host EC2 (instance i-0aaa) terminated.',
      })
    const memory = Array.from({length: 31}, (_, m) => ({
      timestamp: at(m),
      value: m === 6 || m === 7 ? 0 : 50,
    }))
    const r = buildReport(
      evidence({
        tasks: [killed('old1'), killed('old2'), task('new1', 2, 8, null), task('new2', 2, 8, null)],
        memory,
        hooks: new Map(),
      }),
    )
    const i = r.instances[0]!
    expect(i.terminatedWithTasks).toBe(true)
    expect(i.timeline.draining.note).toContain('never DRAINING')
    expect(i.timeline.lifecycleActionCompleted.by).toBe('nobody')
    expect(r.memoryReservation.outageMinutes).toEqual([at(6).toISOString(), at(7).toISOString()])
    expect(r.verdict).toEqual({
      outage: true,
      outageMinutes: 2,
      firstAt: at(6).toISOString(),
      service: 'web',
      text: `outage: 2 minute(s), first at ${at(6).toISOString()}, service web at 0 running`,
    })
  })

  it('a wait as long as the HeartbeatTimeout: the hook timed out and its DefaultResult applied', () => {
    const r = buildReport(evidence({activities: [terminating('i-0aaa', 5, 20)]}))
    const done = r.instances[0]!.timeline.lifecycleActionCompleted
    expect(done.by).toMatch(/^nobody: the wait \(900 s\) reached HeartbeatTimeout 900 s/)
    expect(done.result).toBe("ABANDON (the hook's DefaultResult)")
  })

  it('a service still starting up is not counted until it first ran its desired count', () => {
    // The service's two tasks started at minute 1 and 2 of the window: 1 running at minute 1 is start-up.
    const r = buildReport(evidence({activities: [], tasks: [task('a', 2, 1, null), task('b', 2, 2, null)]}))
    expect(r.services[0]).toMatchObject({lowestRunning: 2, belowMinimum: false})
  })

  it('counts from the moment the services were read: a task started while the tasks were being read is not a dip', () => {
    // runningCount 2 was read at minute 20 (new1, new2); `late` started at 25, before the tasks were read.
    const tasks = [...evidence().tasks, task('late', 2, 25, null)]
    const r = buildReport(evidence({tasks, servicesReadAt: at(20).getTime()}))
    expect(r.services[0]).toMatchObject({lowestRunning: 2, belowMinimum: false})
    expect(r.verdict.text).toBe('no outage')
    // Counted as if runningCount held at the end, the arithmetic alone says 1 before minute 25; the two
    // tasks ECS describes as RUNNING then still hold the count at 2.
    expect(buildReport(evidence({tasks})).services[0]).toMatchObject({lowestRunning: 2, belowMinimum: false})
  })

  it('nothing after the services were read is counted: tasks drained then, replacements unseen, are no dip', () => {
    // What a 1,000-instance sim at --speed 60 gave (svc-043 with the hook stack draining): the services were
    // read at minute 10 (runningCount 2, the two old tasks; no event since). The tasks were read much later:
    // by then both old ones had been drained at 20 and 22, and their replacements, started at 19 and 21,
    // were RUNNING, so neither ListTasks STOPPED nor the events read at 10 named them.
    const tasks = [task('old1', 1, -60, 20), task('old2', 1, -60, 22)]
    const r = buildReport(
      evidence({tasks, activities: [terminating('i-0aaa', 18, 23)], servicesReadAt: at(10).getTime()}),
    )
    expect(r.services[0]).toMatchObject({
      lowestRunning: 2,
      belowMinimum: false,
      countedUntil: at(10).toISOString(),
    })
    expect(r.verdict).toMatchObject({outage: false, text: 'no outage'})
    expect(r.limits.join(' ')).toContain(`Running counts end at ${at(10).toISOString()}`)
  })

  it('never counts fewer than the tasks ECS describes as RUNNING at that moment', () => {
    // runningCount 1 read at 20 though both tasks ran then (a read timed a little early, or a record
    // missing): the anchored arithmetic says 0 at minute 8, the records prove 2.
    const tasks = [task('a', 2, -60, null), task('b', 2, -60, null)]
    const r = buildReport(evidence({tasks, services: [web(1)], servicesReadAt: at(20).getTime()}))
    expect(r.services[0]).toMatchObject({lowestRunning: 2, belowMinimum: false})
  })

  it('services read before the counted hour: their runningCount then is the one moment counted', () => {
    // ECS describes STOPPED tasks for an hour: with the region's now at 130 the count starts at 70, after
    // the services were read at 20, when runningCount was 0. That read is the proof, and its moment.
    const r = buildReport(
      evidence({
        services: [web(0)],
        tasks: [task('old1', 1, -60, 7), task('old2', 1, -60, 8)],
        servicesReadAt: at(20).getTime(),
        window: {start: T0, end: T0 + 130 * 60_000},
        now: T0 + 130 * 60_000,
      }),
    )
    expect(r.services[0]).toMatchObject({
      lowestRunning: 0,
      lowestAt: at(20).toISOString(),
      countedFrom: at(20).toISOString(),
      countedUntil: at(20).toISOString(),
    })
    expect(r.verdict.text).toBe(
      `outage: service web at 0 running at ${at(20).toISOString()} (the cluster's MemoryReservation never reached 0 %)`,
    )
  })

  it('a window the count cannot reach (over before the hour ECS keeps): no outage claimed from the count now', () => {
    const late = T0 + 200 * 60_000
    const r = buildReport(evidence({services: [web(0)], tasks: [], servicesReadAt: late, now: late}))
    expect(r.services[0]!.lowestAt).toBeNull()
    expect(r.verdict).toMatchObject({outage: false, text: expect.stringMatching(/^no outage/)})
  })
})
