/**
 * Who drains each group: nobody (the seed's outage), nobody automatic, two at once, and a hook whose default
 * result skips the others. Lifecycle-hook semantics as in "Amazon EC2 Auto Scaling lifecycle hooks"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html) and aws-semantics.md §6.
 */
import type {ClusterFacts, GroupFacts} from './gather.js'
import {
  KIND_TEXT,
  drainersOf,
  groupResource,
  hookResource,
  terminatingHooks,
  type Drainer,
} from './drainers.js'
import type {Finding} from './types.js'

function installFix(facts: ClusterFacts, g: GroupFacts): string {
  return `ecsdrain install --cluster ${facts.cluster} --asg ${g.group.autoScalingGroupName} --yes`
}

function removeFix(g: GroupFacts, d: Drainer): string {
  const group = g.group.autoScalingGroupName
  switch (d.kind) {
    case 'ecs-managed-draining':
      return g.capacityProvider
        ? `aws ecs update-capacity-provider --name ${g.capacityProvider.name} --auto-scaling-group-provider managedDraining=DISABLED`
        : 'turn off managed draining on the capacity provider'
    case 'cdk-instance-drain-hook':
      return 'set taskDrainTime: Duration.seconds(0) where the CDK app adds this capacity (drops its InstanceDrainHook)'
    case 'ecsdrain':
      return `ecsdrain uninstall --cluster ... --stack-name ${d.stack?.stack.stackName ?? d.name} --yes`
    default:
      return `aws autoscaling delete-lifecycle-hook --auto-scaling-group-name ${group} --lifecycle-hook-name ${d.name} (and retire its function)`
  }
}

export function drainerChecks(facts: ClusterFacts): Finding[] {
  const out: Finding[] = []
  for (const g of facts.groups) {
    if (g.hooks === null || g.instances.length === 0) continue
    const group = g.group.autoScalingGroupName
    const base = {cluster: facts.cluster, resource: groupResource(g)}
    const drainers = drainersOf(g, facts)
    const automatic = drainers.filter((d) => d.kind !== 'manual')
    if (drainers.length === 0) {
      out.push({
        ...base,
        check: 'no-drainer',
        severity: 'error',
        message:
          `group ${group} holds ${g.instances.length} container instance(s) of ${facts.cluster} but has no terminating lifecycle hook and ` +
          'no managed draining: a scale-in, a refresh or a rolling update terminates them with their tasks running (the seed outage).',
        evidence: {
          containerInstances: g.instances.length,
          terminatingHooks: [],
          capacityProvider: g.capacityProvider?.name ?? null,
          managedDraining: g.capacityProvider?.managedDraining ?? false,
        },
        fix: installFix(facts, g),
      })
    } else if (automatic.length === 0) {
      out.push({
        ...base,
        check: 'hook-without-target',
        severity: 'warn',
        message:
          `group ${group}'s terminating hook(s) ${drainers.map((d) => d.name).join(', ')} notify nothing: unless an EventBridge rule or an operator ` +
          '(`ecsdrain watch --auto-drain`) drains each instance, it waits out the HeartbeatTimeout and then terminates undrained.',
        evidence: {
          hooks: drainers.map((d) => d.name),
          heartbeatTimeouts: drainers.map((d) => d.hook?.heartbeatTimeout ?? 0),
        },
        fix: installFix(facts, g),
      })
    }
    if (automatic.length >= 2) {
      const kinds = automatic.map((d) => d.kind)
      const shape = kinds.includes('ecs-managed-draining')
        ? 'managed draining beside a custom hook'
        : kinds.includes('cdk-instance-drain-hook')
          ? "CDK's InstanceDrainHook beside another drainer"
          : 'two custom terminating hooks'
      const keep = automatic.find((d) => d.kind === 'ecsdrain') ?? automatic[0]!
      out.push({
        ...base,
        check: 'two-drainers',
        severity: 'error',
        message:
          `group ${group} has ${automatic.length} drainers (${shape}): ${automatic.map((d) => `${d.name}: ${KIND_TEXT[d.kind]}`).join('; ')}. ` +
          'Both act on every terminating instance on their own schedules: each sets it DRAINING, heartbeats (or not) and completes its own action, ' +
          'an ABANDON from either skips the other, and neither can tell its drain from the other one.',
        evidence: {drainers: automatic.map((d) => d.name), kinds},
        fix: `keep one (e.g. ${keep.name}); remove the others: ${automatic
          .filter((d) => d !== keep)
          .map((d) => removeFix(g, d))
          .join('; ')}`,
      })
    }
    for (const hook of terminatingHooks(g)) {
      if (hook.defaultResult !== 'ABANDON') continue
      out.push({
        ...base,
        resource: hookResource(g, hook),
        check: 'default-result-abandon',
        severity: 'warn',
        message:
          `lifecycle hook ${hook.hookName} defaults to ABANDON: on a terminating hook ABANDON still terminates the instance when the hook times out, ` +
          'and it also skips every other hook of the group, so another drainer or a log-shipping hook never gets its turn.',
        evidence: {defaultResult: hook.defaultResult, heartbeatTimeout: hook.heartbeatTimeout},
        fix: `aws autoscaling put-lifecycle-hook --auto-scaling-group-name ${group} --lifecycle-hook-name ${hook.hookName} --lifecycle-transition autoscaling:EC2_INSTANCE_TERMINATING --default-result CONTINUE`,
      })
    }
  }
  return out
}
