/** The explainer's reads: cached for the drain, and a failure never fails it (but an interrupt still does). */
import {describe, expect, it} from 'vitest'

import {DrainStop} from '../../../src/core/drain/run-context.js'
import {ExplainSources} from '../../../src/core/explain/index.js'
import {apiError, FakeWorld, instance, service, task} from '../drain/fake-world.js'

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/1'

function setup() {
  const w = new FakeWorld()
  w.instances = [instance(1)]
  const services = new Map([
    [
      'web',
      service('web', {loadBalancers: [{targetGroupArn: TG, containerName: null, containerPort: null}]}),
    ],
  ])
  const t = task(w.target, 'service:web', {taskDefinitionArn: 'web:3'})
  w.taskDefinitions.set('web:3', [10, null, 45])
  w.targetGroupDelays.set(TG, 120)
  return {w, services, t, sources: new ExplainSources({ecsDetails: w.ecsDetails, elb: w.elb}, w.clock)}
}

describe('ExplainSources', () => {
  it("reads a task definition and a target group once; a container without stopTimeout counts as the agent's 30 s", async () => {
    const {w, services, t, sources} = setup()
    for (let i = 0; i < 5; i++) await sources.refresh('c1', [t], services)
    expect(sources.stopTimeoutOf(t)).toBe(45)
    expect(sources.deregistrationDelayOf(TG)).toBe(120)
    expect(w.count('DescribeTaskDefinition')).toBe(1)
    expect(w.count('DescribeTargetGroupAttributes')).toBe(1)
    expect(w.count('GetTaskProtection')).toBe(1)
    w.taskDefinitions.set('web:3', [null])
    const fresh = new ExplainSources({ecsDetails: w.ecsDetails}, w.clock)
    await fresh.refresh('c1', [t], services)
    expect(fresh.stopTimeoutOf(t)).toBeNull()
  })

  it('a transient fault is tried again next time; a refusal is not asked again', async () => {
    const {w, services, t, sources} = setup()
    w.fault = (op) => (op === 'DescribeTaskDefinition' ? apiError('ThrottlingException', true) : undefined)
    await sources.refresh('c1', [t], services)
    expect(sources.stopTimeoutOf(t)).toBeNull()
    w.fault = () => undefined
    await sources.refresh('c1', [t], services)
    expect(sources.stopTimeoutOf(t)).toBe(45)
    w.fault = (op) =>
      op === 'GetTaskProtection' ? apiError('AccessDeniedException', false, 'not allowed') : undefined
    await w.clock.sleep(61_000)
    await sources.refresh('c1', [t], services)
    await w.clock.sleep(61_000)
    await sources.refresh('c1', [t], services)
    expect(w.count('GetTaskProtection')).toBe(2) // once at the start, once refused, then never again
    expect(sources.unavailable.get('protection')).toBe('not allowed')
  })

  it('an interrupt from a retrying port is not an answer: it goes on up', async () => {
    const {w, services, t} = setup()
    const stopping = {
      ...w.ecsDetails,
      describeTaskDefinition: () => Promise.reject(new DrainStop('interrupted')),
    }
    const sources = new ExplainSources({ecsDetails: stopping}, w.clock)
    await expect(sources.refresh('c1', [t], services)).rejects.toBeInstanceOf(DrainStop)
  })
})
