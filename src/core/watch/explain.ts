/**
 * The details view's reasons from the drain explainer (src/core/explain): the same words, fixes and ETAs
 * that `drain` prints, from the explainer's own reads (task definitions' stopTimeouts, target groups'
 * deregistration delays, task protection), cached for the whole session. The view has already listed the
 * instance's live tasks and knows its services, so no read is repeated here.
 */
import {explainersPerInstance, type ExplainPorts} from '../explain/index.js'
import type {Clock} from '../ports.js'
import type {ExplainTasks} from './details.js'

export function createWatchExplainer(ports: ExplainPorts, clock: Pick<Clock, 'now'>): ExplainTasks {
  const explainerOf = explainersPerInstance(ports, clock)
  return async (live, ctx) => {
    const {reasons} = await explainerOf(ctx.instance).explain(ctx.instance, live, ctx.services)
    // A task that simply runs on an ACTIVE instance has nothing to explain: the view shows no reason.
    return new Map(reasons.filter((r) => r.kind !== 'running').map((r) => [r.task, r]))
  }
}
