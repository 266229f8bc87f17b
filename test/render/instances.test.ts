import {describe, expect, it} from 'vitest'

import type {ClusterSnapshot, InstanceView} from '../../src/core/types.js'
import {colorEnabled} from '../../src/render/columns.js'
import {instancesJson, renderInstances} from '../../src/render/instances.js'
import {fakeInstance} from '../helpers/fake-ecs.js'

const NOW = Date.parse('2026-11-28T03:00:00Z')

function view(id: string, over: Partial<InstanceView> = {}): InstanceView {
  return {
    ...fakeInstance('web', id, {runningTasksCount: 3, cpu: {registered: 2048, remaining: 512}}),
    autoScalingGroupName: 'asg-web',
    lifecycleState: 'InService',
    lifecycleHook: null,
    ...over,
  }
}

const snapshot: ClusterSnapshot = {
  cluster: 'web',
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/web',
  takenAt: new Date(NOW),
  instances: [
    view('i-0000000000000000a', {
      status: 'DRAINING',
      lifecycleState: 'Terminating:Wait',
      lifecycleHook: {
        name: 'drain-hook',
        autoScalingGroupName: 'asg-web',
        heartbeatDeadline: new Date(NOW + 12 * 60_000),
        globalDeadline: new Date(NOW + 25 * 3600_000),
        defaultResult: 'CONTINUE',
      },
    }),
    view('i-1234abcd', {agentConnected: false, autoScalingGroupName: null, lifecycleState: null}),
  ],
  services: [],
  groups: [],
  activities: [],
  refreshes: [],
}

describe('instances --json', () => {
  it('has exactly the documented shape, dates as ISO strings', () => {
    // The JSON is a public contract: this snapshot changes only when the contract does.
    expect(JSON.parse(JSON.stringify(instancesJson(snapshot)))).toMatchInlineSnapshot(`
      {
        "cluster": "web",
        "instances": [
          {
            "agentConnected": true,
            "autoScalingGroupName": "asg-web",
            "availabilityZone": "us-east-1a",
            "containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/web/0000000000000000a",
            "cpu": {
              "registered": 2048,
              "remaining": 512,
            },
            "ec2InstanceId": "i-0000000000000000a",
            "instanceType": "t3.medium",
            "lifecycleHook": {
              "globalDeadline": "2026-11-29T04:00:00.000Z",
              "heartbeatDeadline": "2026-11-28T03:12:00.000Z",
              "name": "drain-hook",
            },
            "lifecycleHooks": [
              {
                "globalDeadline": "2026-11-29T04:00:00.000Z",
                "heartbeatDeadline": "2026-11-28T03:12:00.000Z",
                "name": "drain-hook",
              },
            ],
            "lifecycleState": "Terminating:Wait",
            "memory": {
              "registered": 4096,
              "remaining": 4096,
            },
            "pendingTasksCount": 0,
            "runningTasksCount": 3,
            "status": "DRAINING",
          },
          {
            "agentConnected": false,
            "autoScalingGroupName": null,
            "availabilityZone": "us-east-1a",
            "containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/web/1234abcd",
            "cpu": {
              "registered": 2048,
              "remaining": 512,
            },
            "ec2InstanceId": "i-1234abcd",
            "instanceType": "t3.medium",
            "lifecycleHook": null,
            "lifecycleHooks": [],
            "lifecycleState": null,
            "memory": {
              "registered": 4096,
              "remaining": 4096,
            },
            "pendingTasksCount": 0,
            "runningTasksCount": 3,
            "status": "ACTIVE",
          },
        ],
      }
    `)
  })
})

describe('instances text output', () => {
  it('in a pipe: a header and one aligned plain line per instance, ISO deadlines, no colour', () => {
    const lines = renderInstances(snapshot, {tty: false, color: false, now: NOW})
    expect(lines).toEqual([
      'EC2 ID               AZ          TYPE       STATUS    AGENT  RUN  PEND    CPU RSV  MEM RSV  ASG      LIFECYCLE         HOOK',
      'i-0000000000000000a  us-east-1a  t3.medium  DRAINING  yes      3     0  1536/2048   0/4096  asg-web  Terminating:Wait  drain-hook 2026-11-28T03:12:00.000Z',
      'i-1234abcd           us-east-1a  t3.medium  ACTIVE    NO       3     0  1536/2048   0/4096  -        -                 -',
    ])
  })

  it('in a terminal: a countdown on the pending hook and a summary', () => {
    const lines = renderInstances(snapshot, {tty: true, color: false, now: NOW})
    expect(lines[1]).toContain('drain-hook 12m left')
    expect(lines.at(-1)).toMatch(/^2 instances in web: 1 ACTIVE, 1 DRAINING, 1 waiting on a lifecycle hook\./)
    const expired = renderInstances(snapshot, {tty: true, color: false, now: NOW + 13 * 60_000})
    expect(expired[1]).toContain('drain-hook timed out')
  })

  it('names every hook an instance waits on, the first to bite first, in the table and the JSON', () => {
    const [first, second] = snapshot.instances
    const both: ClusterSnapshot = {
      ...snapshot,
      instances: [
        {
          ...first!,
          lifecycleHook: {
            ...first!.lifecycleHook!,
            alsoPending: [
              {
                name: 'audit-hook',
                heartbeatDeadline: new Date(NOW + 40 * 60_000),
                globalDeadline: new Date(NOW + 48 * 3600_000),
              },
            ],
          },
        },
        second!,
      ],
    }
    expect(renderInstances(both, {tty: true, color: false, now: NOW})[1]).toContain(
      'drain-hook 12m left, audit-hook 40m left',
    )
    expect(renderInstances(both, {tty: false, color: false, now: NOW})[1]).toMatch(
      /drain-hook 2026-11-28T03:12:00.000Z, audit-hook 2026-11-28T03:40:00.000Z$/,
    )
    const json = instancesJson(both).instances[0]!
    expect(json.lifecycleHook?.name).toBe('drain-hook')
    expect(json.lifecycleHooks.map((h) => h.name)).toEqual(['drain-hook', 'audit-hook'])
  })

  it('colours only when asked, and colour never changes the alignment', () => {
    const plain = renderInstances(snapshot, {tty: true, color: false, now: NOW})
    const colored = renderInstances(snapshot, {tty: true, color: true, now: NOW})
    expect(colored.join('\n')).toContain('\u001b[')
    // eslint-disable-next-line no-control-regex
    expect(colored.map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual(plain)
  })

  it('NO_COLOR wins over a terminal; FORCE_COLOR colours a pipe', () => {
    expect(colorEnabled({isTTY: true}, {NO_COLOR: '1'})).toBe(false)
    expect(colorEnabled({isTTY: true}, {})).toBe(true)
    expect(colorEnabled({isTTY: false}, {})).toBe(false)
    expect(colorEnabled({isTTY: false}, {FORCE_COLOR: '1'})).toBe(true)
  })
})
