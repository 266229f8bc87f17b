import type {SimTimer} from '../../types.js'

/** An Auto Scaling group capacity provider (CreateCapacityProvider), with its managed features. */
export interface CapacityProvider {
  seq: number
  name: string
  arn: string
  status: 'ACTIVE' | 'INACTIVE'
  /** Set by the first UpdateCapacityProvider; the sim applies an update at once (API_CapacityProvider). */
  updateStatus?: 'UPDATE_COMPLETE'
  groupName: string
  groupArn: string
  managedScaling: {
    status: 'ENABLED' | 'DISABLED'
    targetCapacity: number
    minimumScalingStepSize: number
    maximumScalingStepSize: number
    instanceWarmupPeriod: number
  }
  managedTerminationProtection: 'ENABLED' | 'DISABLED'
  managedDraining: 'ENABLED' | 'DISABLED'
  tags: {key: string; value: string}[]
  /** Consecutive minutes the group held more instances than the target: a scale-in waits for 15. */
  lowMinutes: number
  timer?: SimTimer
}
