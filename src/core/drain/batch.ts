/**
 * `ecsdrain drain` for several instances at once: find them, plan them all, ask once, then drain them
 * together. Planning every instance first means bad input or a refusal for one stops the command before
 * anything changes, and each plan counts the others as no room for its replacements.
 */
import {EcsdrainError} from '../errors.js'
import {locateInstances} from '../locate.js'
import type {PromptPort} from '../prompt.js'
import {executeDrain, planDrain, type DrainPlan, type DrainPorts} from './engine.js'
import {instancesInTerminatingWait} from './lifecycle-context.js'
import {exitCodeFor} from './outcome.js'
import type {DrainEvent, DrainOptions, DrainResult, DrainTarget} from './types.js'

/** Where a batch's drains report while they run (a listr2 display, plain lines). */
export interface DrainObserver {
  onEvent(event: DrainEvent): void
  /** Once per instance, when its drain has ended. */
  finished(result: DrainResult): void
  /** Resolves once the display has settled. */
  close(): Promise<void>
}

export interface BatchHooks {
  /** Asked once, when something would change; never for a dry run. Ctrl-C there interrupts every drain. */
  prompt: PromptPort
  /** Every plan, before anything is asked or changed: the preflight to show. */
  planned?(plans: readonly DrainPlan[]): void
  /** The display for the drains, made once they are confirmed, so that it never draws over the question. */
  observe?(targets: readonly DrainTarget[]): Promise<DrainObserver> | DrainObserver
}

/**
 * The instances to drain: the ids given, or (with `autoScalingGroupName` and no ids) the group's instances
 * in Terminating:Wait, each located in its cluster. Empty when the group has none waiting.
 */
export async function batchTargets(
  ports: Pick<DrainPorts, 'ecs' | 'autoScaling'>,
  ids: readonly string[],
  o: {cluster?: string; autoScalingGroupName?: string},
): Promise<DrainTarget[]> {
  const wanted =
    ids.length > 0 || !o.autoScalingGroupName
      ? ids
      : await instancesInTerminatingWait(ports.autoScaling, o.autoScalingGroupName)
  if (wanted.length === 0) return []
  return locateInstances(ports, wanted, o.cluster)
}

const silent: DrainObserver = {onEvent() {}, finished() {}, close: async () => {}}

/**
 * Plans every target, asks once (unless a dry run, or nothing would change), then drains them together.
 * `options.signal` interrupts them all. Throws NOT_CONFIRMED (nothing changed) when the answer is no.
 */
export async function drainBatch(
  ports: DrainPorts,
  targets: readonly DrainTarget[],
  options: DrainOptions,
  hooks: BatchHooks,
): Promise<DrainResult[]> {
  const abort = new AbortController()
  const stop = () => abort.abort()
  options.signal?.addEventListener('abort', stop, {once: true})
  if (options.signal?.aborted) stop()
  try {
    const opts: DrainOptions = {
      ...options,
      signal: abort.signal,
      // Instances drained together are no room for each other's replacements.
      batch: targets.map((t) => t.instance.containerInstanceArn),
    }
    const plans = await Promise.all(targets.map((t) => planDrain(ports, t, {...opts, onEvent: undefined})))
    hooks.planned?.(plans)
    const toDrain = plans.filter((p) => !p.finished && !p.report.refused).length
    if (!opts.dryRun && toDrain > 0 && !abort.signal.aborted) {
      const answer = await hooks.prompt.confirm({
        code: 'DRAIN_CONFIRM',
        message: `Drain ${toDrain} instance(s)?`,
        defaultAnswer: 'no',
      })
      if (answer === 'interrupted') stop()
      else if (answer === 'no')
        throw new EcsdrainError('Not confirmed: nothing was changed.', {code: 'NOT_CONFIRMED'})
    }
    const observer = (await hooks.observe?.(targets)) ?? silent
    const results = await Promise.all(
      plans.map(async (plan) => {
        const result = await executeDrain(ports, plan, {
          ...opts,
          onEvent: (e) => {
            observer.onEvent(e)
            options.onEvent?.(e)
          },
        })
        observer.finished(result)
        return result
      }),
    )
    await observer.close()
    return results
  } finally {
    options.signal?.removeEventListener('abort', stop)
  }
}

/**
 * The batch's exit code. A dry run exits as the real run would: 4 where it would refuse, so that
 * `drain --dry-run` can gate a pipeline; its JSON outcome stays `dry-run`, with `preflight.refused` saying why.
 */
export function batchExitCode(results: readonly DrainResult[]) {
  return exitCodeFor(
    results.map((r) => (r.outcome === 'dry-run' && r.preflight?.refused ? 'refused' : r.outcome)),
  )
}
