/**
 * ECS's own terminating hook on a group whose capacity provider has managed draining on ("Safely stop Amazon
 * ECS workloads running on EC2 instances",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html).
 */
export const MANAGED_DRAINING_HOOK_NAME = 'ecs-managed-draining-termination-hook'
