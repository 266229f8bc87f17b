/**
 * The refresh's service guards (src/core/refresh/guards.ts): below the minimum healthy count on two polls in
 * a row (one poll between a task stopping and its replacement starting is not an outage), and a deployment
 * that the circuit breaker failed since the refresh began (one that had failed before is not news).
 */
import {describe, expect, it} from 'vitest'

import {guardServices, minimumOf} from '../../../src/core/refresh/guards.js'
import type {ServiceInfo} from '../../../src/core/types.js'

function svc(running: number, over: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    serviceName: 'web',
    serviceArn: 'arn:svc/web',
    status: 'ACTIVE',
    desiredCount: 4,
    runningCount: running,
    pendingCount: 0,
    schedulingStrategy: 'REPLICA',
    minimumHealthyPercent: 50,
    maximumPercent: 200,
    taskDefinition: 'td:1',
    events: [],
    ...over,
  }
}

const failed = (rolloutState: string) => ({
  deployments: [
    {
      id: 'ecs-svc/2',
      status: 'PRIMARY',
      rolloutState,
      rolloutStateReason: 'tasks failed to start',
      taskDefinition: 'td:2',
      desiredCount: 4,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 4,
      createdAt: null,
    },
  ],
})

describe('refresh guards', () => {
  it('minimum healthy count is ceil(desired x minimumHealthyPercent / 100)', () => {
    expect(minimumOf(svc(0, {desiredCount: 3, minimumHealthyPercent: 50}))).toBe(2)
  })

  it('trips on the second poll in a row below the minimum, not the first; a recovery resets the count', () => {
    const below = new Map<string, number>()
    expect(guardServices([svc(1)], [svc(4)], below)).toBeNull()
    expect(guardServices([svc(2)], [svc(4)], below)).toBeNull() // back at the minimum (2 of 4)
    expect(guardServices([svc(1)], [svc(4)], below)).toBeNull()
    expect(guardServices([svc(1)], [svc(4)], below)).toEqual({
      kind: 'below-minimum',
      detail: 'service web runs 1 of 4 (its minimum is 2: minimumHealthyPercent 50)',
    })
  })

  it('trips on a deployment FAILED since the refresh began, not on one that had failed before', () => {
    const now = svc(4, failed('FAILED'))
    expect(guardServices([now], [svc(4)], new Map())).toMatchObject({kind: 'deployment-failed'})
    expect(guardServices([now], [now], new Map())).toBeNull()
  })

  it('ignores daemons and services scaled to zero', () => {
    const below = new Map<string, number>()
    for (let i = 0; i < 3; i++) {
      expect(guardServices([svc(0, {schedulingStrategy: 'DAEMON'})], [], below)).toBeNull()
      expect(guardServices([svc(0, {desiredCount: 0})], [], below)).toBeNull()
    }
  })
})
