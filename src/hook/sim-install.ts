/**
 * `ecsdrain sim --hook lambda`: once the sim listens, the hook stack is installed into it exactly as
 * `ecsdrain install` does it against AWS (a change set through the sim's CloudFormation API), so the
 * demo's Lambda is the real template's inline code run by the sim's Lambda.
 */
import {createAwsPorts} from '../aws/index.js'
import {createCloudFormationPort} from '../aws/cloudformation.js'
import {systemClock} from '../core/clock.js'
import {deployStack, type DeployResult} from '../core/stack/deploy.js'
import {assumeYes} from '../core/prompt.js'
import {defaultStackName, installTemplate} from './install.js'

/** The stack deployed; an Error (a bug: the sim rejected our own template) when it failed. */
export async function installIntoSim(o: {
  endpoint: string
  region: string
  cluster: string
  group: string
  version: string
}): Promise<DeployResult> {
  const aws = createAwsPorts({
    endpointUrl: o.endpoint,
    region: o.region,
    credentials: {accessKeyId: 'sim', secretAccessKey: 'sim'},
  })
  const templateBody = await installTemplate({
    cluster: o.cluster,
    autoScalingGroupName: o.group,
    heartbeatTimeout: 900,
    drainTimeoutSeconds: 3600,
    version: o.version,
  })
  const result = await deployStack(createCloudFormationPort(aws.factory), {
    clock: systemClock,
    stackName: defaultStackName(o.cluster),
    templateBody,
    pollMs: 100,
    // The demo's own sim: nobody to ask, nothing of anyone's to change.
    prompt: assumeYes,
  })
  if (result.outcome === 'failed')
    throw new Error(`the hook stack failed to install in the sim: ${JSON.stringify(result.failure)}`)
  return result
}
