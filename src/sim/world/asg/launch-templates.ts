import type {Group, InstanceRefresh, LaunchTemplateSpec} from './model.js'

/**
 * Which launch template an instance is launched from, and when two are the same. The sim models no EC2
 * launch templates, only their references: the same template (by id or by name) and the same version.
 */

/** Statuses in which an instance refresh (or its rollback) is still under way. */
const ACTIVE = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'])

export function activeRefresh(g: Group): InstanceRefresh | undefined {
  const r = g.refreshes[0]
  return r && ACTIVE.has(r.status) ? r : undefined
}

export function sameTemplate(a: LaunchTemplateSpec, b: LaunchTemplateSpec): boolean {
  const sameOne = a.LaunchTemplateId === b.LaunchTemplateId || a.LaunchTemplateName === b.LaunchTemplateName
  return sameOne && a.Version === b.Version
}

/** The configuration a refresh moves instances to: the desired one, or back to the old one in a rollback. */
export function refreshTarget(r: InstanceRefresh): LaunchTemplateSpec {
  return r.status === 'RollbackInProgress' ? r.previous : (r.desired ?? r.previous)
}

/**
 * New instances take the desired configuration while a refresh with one runs, the previous one during its
 * rollback, and the group's own otherwise ("Once the instance refresh succeeds, Amazon EC2 Auto Scaling
 * updates the settings of the Auto Scaling group": StartInstanceRefresh, DesiredConfiguration,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html).
 */
export function launchTemplateFor(g: Group): LaunchTemplateSpec {
  const r = activeRefresh(g)
  return {...(r && r.status !== 'Cancelling' ? refreshTarget(r) : g.launchTemplate)}
}

/** For the default termination policy: an older version ranks first; `$Latest`/`$Default` rank last. */
export function versionRank(spec: LaunchTemplateSpec): number {
  const n = Number(spec.Version)
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER
}
