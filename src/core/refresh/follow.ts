/**
 * Runs one group's refresh: StartInstanceRefresh with the plan's percentages, then follows it every
 * interval (DescribeInstanceRefreshes, the group's instances, the cluster's services) until Auto Scaling
 * ends it. In assisted mode each instance entering Terminating:Wait is drained by the drain engine, which
 * completes its action once every task is STOPPED; otherwise the stack's Lambda or ECS does it and this only
 * watches. Guards: a service below its minimum healthy count (two polls running), a deployment the circuit
 * breaker FAILED, or a drain that timed out or failed, stops the refresh as --on-failure says. Never throws
 * for AWS's answers: every ending is a GroupRefreshResult.
 */
import {drainInstance, TERMINATING_WAIT, type DrainResult} from '../drain/index.js'
import {EcsdrainError, isTransient} from '../errors.js'
import type {ServiceInfo} from '../types.js'
import type {RefreshPorts} from './plan.js'
import {guardServices} from './guards.js'
import type {GroupRefreshPlan, GroupRefreshResult, GuardTrip, OnFailure, RefreshEvent} from './types.js'

export interface FollowOptions {
  cluster: string
  checkpointPercentages?: number[]
  checkpointDelaySeconds?: number
  skipMatching: boolean
  launchTemplateVersion?: string
  onFailure: OnFailure
  intervalMs: number
  /** Per assisted drain, as `drain --timeout`. */
  drainTimeoutMs: number
  /** The whole refresh; then exit 3, the refresh left as it is. */
  timeoutMs: number
  force: boolean
  /** Follow this refresh (already started) instead of starting one. */
  attachTo?: string
  signal?: AbortSignal
  onEvent?: (event: RefreshEvent) => void
}

const ENDED = new Set(['Successful', 'Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'])

class Stop extends Error {
  constructor(readonly outcome: 'interrupted' | 'timeout') {
    super(outcome)
  }
}

/** Each group's refresh in turn (one at a time, so that one guard's stop is seen before the next starts). */
export async function followRefreshes(
  ports: RefreshPorts,
  plans: GroupRefreshPlan[],
  options: FollowOptions,
): Promise<GroupRefreshResult[]> {
  const results: GroupRefreshResult[] = []
  for (const plan of plans) {
    if (options.signal?.aborted) break
    results.push(await followRefresh(ports, plan, options))
  }
  return results
}

export async function followRefresh(
  ports: RefreshPorts,
  plan: GroupRefreshPlan,
  options: FollowOptions,
): Promise<GroupRefreshResult> {
  const group = plan.autoScalingGroupName
  const {clock} = ports
  const startedAt = clock.now()
  const emit = (e: Record<string, unknown> & {type: RefreshEvent['type']}) => {
    try {
      options.onEvent?.({autoScalingGroupName: group, at: clock.now(), ...e} as RefreshEvent)
    } catch {
      // A listener that throws must not end the refresh.
    }
  }
  const result: GroupRefreshResult = {
    autoScalingGroupName: group,
    instanceRefreshId: options.attachTo ?? null,
    outcome: 'failed',
    status: null,
    percentageComplete: null,
    instancesToUpdate: null,
    statusReason: null,
    guard: null,
    drains: [],
    leftWaiting: [],
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: '',
  }
  const drainAbort = new AbortController()
  const onAbort = () => drainAbort.abort()
  options.signal?.addEventListener('abort', onAbort, {once: true})
  const drains = new Map<string, Promise<DrainResult>>()
  const failedDrains = new Set<string>()
  const settled = new Set<string>()
  const assisted = plan.drainers[0]?.kind === 'assisted'
  const below = new Map<string, number>()
  let baseline: ServiceInfo[] | null = null
  let stoppedFollowing = false
  const finish = (outcome: GroupRefreshResult['outcome']) => {
    result.outcome = outcome
    result.finishedAt = new Date(clock.now()).toISOString()
    emit({type: 'finished', result})
    return result
  }

  const trip = async (guard: Omit<GuardTrip, 'action' | 'actionResult'>) => {
    const full: GuardTrip = {...guard, action: 'none', actionResult: ''}
    full.action = options.onFailure
    full.actionResult = await act(ports, group, options.onFailure)
    result.guard = full
    emit({type: 'guard', guard: full})
  }

  try {
    if (!result.instanceRefreshId) {
      result.instanceRefreshId = await ports.autoScaling.startInstanceRefresh({
        autoScalingGroupName: group,
        minHealthyPercentage: plan.minHealthyPercentage,
        maxHealthyPercentage: plan.maxHealthyPercentage,
        skipMatching: options.skipMatching,
        checkpointPercentages: options.checkpointPercentages,
        checkpointDelaySeconds: options.checkpointDelaySeconds,
        desiredLaunchTemplate: options.launchTemplateVersion
          ? {...parseTemplate(plan.launchTemplate), version: options.launchTemplateVersion}
          : undefined,
      })
    }
    emit({
      type: 'started',
      instanceRefreshId: result.instanceRefreshId,
      minHealthyPercentage: plan.minHealthyPercentage,
      maxHealthyPercentage: plan.maxHealthyPercentage,
    })
    const deadline = startedAt + options.timeoutMs
    for (;;) {
      if (options.signal?.aborted) throw new Stop('interrupted')
      if (clock.now() > deadline) throw new Stop('timeout')
      const polled = await poll(ports, options, group, result.instanceRefreshId)
      if (polled) {
        const {refresh, terminating, services, waiting} = polled
        Object.assign(result, {
          status: refresh.status,
          percentageComplete: refresh.percentageComplete,
          instancesToUpdate: refresh.instancesToUpdate ?? null,
          statusReason: refresh.statusReason ?? null,
        })
        baseline ??= services
        if (assisted && !result.guard)
          for (const id of waiting) {
            if (drains.has(id)) continue
            drains.set(
              id,
              startDrain(ports, options, group, id, drainAbort.signal, emit, {failed: failedDrains, settled}),
            )
          }
        emit({
          type: 'progress',
          status: refresh.status,
          percentageComplete: refresh.percentageComplete,
          instancesToUpdate: refresh.instancesToUpdate ?? null,
          statusReason: refresh.statusReason ?? null,
          replacing: terminating,
        })
        if (ENDED.has(refresh.status)) break
        if (!result.guard && refresh.status !== 'Cancelling' && !refresh.status.startsWith('Rollback')) {
          const found = guardServices(services, baseline, below)
          const failed = [...failedDrains][0]
          if (found) await trip(found)
          else if (failed)
            await trip({
              kind: 'drain-failed',
              detail: `the drain of ${failed} did not finish (${outcomeOf(result, failed)})`,
            })
        }
        // Stopped: once nothing is left in flight but the instances whose drain could not finish, stop here
        // (their lifecycle actions wait; the command says what to do), rather than wait out their hooks.
        if (result.guard && result.guard.action !== 'continue' && result.guard.action !== 'rollback') {
          const inFlight = terminating.filter((t) => !failedDrains.has(t.ec2InstanceId))
          if (
            inFlight.length === 0 &&
            [...drains.keys()].every((id) => failedDrains.has(id) || settled.has(id))
          ) {
            stoppedFollowing = true
            break
          }
        }
      }
      await clock.sleep(options.intervalMs, options.signal)
    }
    result.drains = await Promise.all(drains.values())
    result.leftWaiting = [...failedDrains]
    if (result.guard && result.guard.action !== 'continue') return finish('stopped')
    if (stoppedFollowing) return finish('stopped')
    return finish(result.status === 'Successful' ? 'successful' : 'failed')
  } catch (error) {
    drainAbort.abort()
    result.drains = await Promise.all(drains.values())
    result.leftWaiting = result.drains.filter((d) => d.outcome !== 'drained').map((d) => d.ec2InstanceId)
    if (error instanceof Stop || (error as Error).name === 'AbortError')
      return finish(error instanceof Stop ? error.outcome : 'interrupted')
    result.statusReason = error instanceof Error ? error.message : String(error)
    if (error instanceof EcsdrainError && !isTransient(error) && !result.instanceRefreshId) throw error
    return finish('failed')
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

function outcomeOf(result: GroupRefreshResult, id: string): string {
  return result.drains.find((d) => d.ec2InstanceId === id)?.outcome ?? 'timeout or failure'
}

function parseTemplate(label: string | null): {id: string | null; name: string | null} {
  const name = label?.split(':')[0] ?? null
  return name?.startsWith('lt-') ? {id: name, name: null} : {id: null, name}
}

async function act(ports: RefreshPorts, group: string, onFailure: OnFailure): Promise<string> {
  if (onFailure === 'continue') return 'continued: the refresh goes on (--on-failure continue)'
  if (onFailure === 'rollback') {
    try {
      await ports.autoScaling.rollbackInstanceRefresh(group)
      return 'RollbackInstanceRefresh: Auto Scaling replaces what the refresh replaced'
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      const cancelled = await act(ports, group, 'cancel')
      return `RollbackInstanceRefresh refused (${why}); ${cancelled}`
    }
  }
  try {
    await ports.autoScaling.cancelInstanceRefresh(group)
    return 'CancelInstanceRefresh: no instance is replaced after the ones in flight'
  } catch (error) {
    return `CancelInstanceRefresh failed: ${error instanceof Error ? error.message : String(error)}`
  }
}

interface Polled {
  refresh: {
    status: string
    percentageComplete: number
    instancesToUpdate?: number | null
    statusReason?: string | null
  }
  terminating: Array<{ec2InstanceId: string; lifecycleState: string; liveTasks: number | null}>
  waiting: string[]
  services: ServiceInfo[]
}

/** One look; null when a transient fault hid it (the next poll tries again). */
async function poll(
  ports: RefreshPorts,
  options: FollowOptions,
  group: string,
  id: string,
): Promise<Polled | null> {
  try {
    const [refreshes, groups, services] = await Promise.all([
      ports.autoScaling.describeInstanceRefreshes(group, [id]),
      ports.autoScaling.describeAutoScalingGroups([group]),
      ports.ecs.listServices(options.cluster),
    ])
    const refresh = refreshes.find((r) => r.instanceRefreshId === id)
    if (!refresh) return null
    const leaving = (groups[0]?.instances ?? []).filter(
      (i) => i.lifecycleState.startsWith('Terminating') && i.lifecycleState !== 'Terminated',
    )
    return {
      refresh,
      terminating: leaving.map((i) => ({
        ec2InstanceId: i.instanceId,
        lifecycleState: i.lifecycleState,
        liveTasks: null,
      })),
      waiting: leaving.filter((i) => i.lifecycleState === TERMINATING_WAIT).map((i) => i.instanceId),
      services,
    }
  } catch (error) {
    if (isTransient(error)) return null
    throw error
  }
}

function startDrain(
  ports: RefreshPorts,
  options: FollowOptions,
  group: string,
  ec2InstanceId: string,
  signal: AbortSignal,
  emit: (e: Record<string, unknown> & {type: RefreshEvent['type']}) => void,
  {failed, settled}: {failed: Set<string>; settled: Set<string>},
): Promise<DrainResult> {
  const run = async (): Promise<DrainResult> => {
    const instance = await ports.ecs.findContainerInstance(options.cluster, ec2InstanceId)
    if (!instance) throw new Error(`${ec2InstanceId} is not a container instance of ${options.cluster}`)
    return drainInstance(
      ports,
      {cluster: options.cluster, instance},
      {
        timeoutMs: options.drainTimeoutMs,
        intervalMs: Math.min(options.intervalMs, 5000),
        autoScalingGroupName: group,
        force: options.force,
        signal,
        onEvent: (event) => emit({type: 'drain', ec2InstanceId, event}),
      },
    )
  }
  return run().then(
    (result) => {
      if (result.outcome !== 'drained' && result.outcome !== 'interrupted') failed.add(ec2InstanceId)
      settled.add(ec2InstanceId)
      emit({type: 'drain-finished', ec2InstanceId, result})
      return result
    },
    (error: unknown) => {
      failed.add(ec2InstanceId)
      settled.add(ec2InstanceId)
      const message = error instanceof Error ? error.message : String(error)
      const now = new Date(ports.clock.now()).toISOString()
      const result: DrainResult = {
        ec2InstanceId,
        cluster: options.cluster,
        containerInstanceArn: null,
        outcome: 'failed',
        status: null,
        autoScalingGroupName: group,
        lifecycleState: TERMINATING_WAIT,
        tasksAtStart: 0,
        tasksRemaining: 0,
        services: [],
        blockers: [],
        etaSeconds: null,
        warnings: [],
        lifecycleAction: null,
        preflight: null,
        startedAt: now,
        finishedAt: now,
        error: {code: error instanceof EcsdrainError ? error.code : 'DRAIN_FAILED', message},
      }
      emit({type: 'drain-finished', ec2InstanceId, result})
      return result
    },
  )
}
