/**
 * ECS operations an operator drives a drain with, through the SDK over HTTP:
 * - ListContainerInstances' filter in the cluster query language
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html);
 * - DeregisterContainerInstance: "If tasks are running on the container instance, the force flag must be set to
 *   allow deregistration. This stops all tasks on the instance." (Amazon ECS task state change events:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html);
 * - ListTaskDefinitions (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html).
 */
import {
  DeregisterContainerInstanceCommand,
  DeregisterTaskDefinitionCommand,
  ListContainerInstancesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {advance, instances, registerTaskDef, service, startWorld, tasks, type World} from './sdk-world.js'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

async function filtered(w: World, filter: string): Promise<string[]> {
  const out = await w.ecs.send(new ListContainerInstancesCommand({cluster: w.cluster, filter}))
  const cis = await instances(w)
  return out.containerInstanceArns!.map(
    (arn) => cis.find((c) => c.containerInstanceArn === arn)!.ec2InstanceId!,
  )
}

describe('ListContainerInstances filter', () => {
  it('evaluates and/or/not, parentheses, in, =~, exists, task:group and runningTasksCount', async () => {
    w = await startWorld({scenario: 'multi-az'})
    const cis = await instances(w)
    const attr = (c: (typeof cis)[0], n: string) => c.attributes!.find((a) => a.name === n)?.value
    const ids = (pred: (c: (typeof cis)[0]) => boolean) =>
      cis
        .filter(pred)
        .map((c) => c.ec2InstanceId!)
        .sort()
    const m5inB = ids(
      (c) => attr(c, 'ecs.instance-type') === 'm5.large' && attr(c, 'ecs.availability-zone') === 'us-east-1b',
    )
    expect(
      (
        await filtered(
          w,
          'attribute:ecs.instance-type =~ m5.* and attribute:ecs.availability-zone == us-east-1b',
        )
      ).sort(),
    ).toEqual(m5inB)
    expect((await filtered(w, 'not(attribute:ecs.instance-type =~ m5.*)')).sort()).toEqual(
      ids((c) => attr(c, 'ecs.instance-type') === 'c5.xlarge'),
    )
    expect(
      (
        await filtered(
          w,
          'attribute:ecs.availability-zone in [us-east-1a, us-east-1b] or agentConnected == false',
        )
      ).length,
    ).toBe(4)
    const reports = (await tasks(w, {family: 'reports'}))[0]!
    const reportsHost = cis.find(
      (c) => c.containerInstanceArn === reports.containerInstanceArn,
    )!.ec2InstanceId
    expect(await filtered(w, 'task:group == service:reports')).toEqual([reportsHost])
    expect((await filtered(w, 'task:group != service:reports && runningTasksCount >= 1')).length).toBe(3)
    expect(await filtered(w, 'attribute:stack exists')).toEqual([])
    await expect(filtered(w, 'attribute:ecs.instance-type ~= m5')).rejects.toMatchObject({
      name: 'InvalidParameterException',
    })
  })
})

describe('DeregisterContainerInstance', () => {
  it('refuses an instance with running tasks unless forced; forced, its tasks stop and the service replaces them', async () => {
    w = await startWorld()
    const [ci] = await instances(w)
    await expect(
      w.ecs.send(
        new DeregisterContainerInstanceCommand({
          cluster: w.cluster,
          containerInstance: ci!.containerInstanceArn,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Found running tasks on the instance.',
    })
    expect((await instances(w))[0]!.status).toBe('ACTIVE')
    const out = await w.ecs.send(
      new DeregisterContainerInstanceCommand({
        cluster: w.cluster,
        containerInstance: ci!.containerInstanceArn,
        force: true,
      }),
    )
    expect(out.containerInstance!.status).toBe('INACTIVE')
    expect(await instances(w)).toEqual([])
    const [old] = await tasks(w)
    expect(old).toMatchObject({lastStatus: 'STOPPED', desiredStatus: 'STOPPED'})
    // No other instance: the service cannot place the replacement and says so.
    advance(w, 5_000)
    expect((await service(w, 'todobackend')).events![0]!.message).toMatch(/was unable to place a task/)
    await expect(
      w.ecs.send(
        new DeregisterContainerInstanceCommand({
          cluster: w.cluster,
          containerInstance: ci!.containerInstanceArn,
        }),
      ),
    ).rejects.toMatchObject({name: 'InvalidParameterException'})
  })
})

describe('ListTaskDefinitions', () => {
  it('lists by familyPrefix and status, in ASC or DESC order, paging with nextToken', async () => {
    w = await startWorld()
    for (const family of ['api', 'api', 'api', 'apx', 'batch']) await registerTaskDef(w, family)
    const list = async (input: object) =>
      (await w!.ecs.send(new ListTaskDefinitionsCommand(input))).taskDefinitionArns!.map(
        (a) => a.split('/')[1],
      )
    expect(await list({familyPrefix: 'api'})).toEqual(['api:1', 'api:2', 'api:3'])
    expect(await list({familyPrefix: 'ap', sort: 'DESC'})).toEqual(['apx:1', 'api:3', 'api:2', 'api:1'])
    await w.ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: 'api:2'}))
    expect(await list({familyPrefix: 'api'})).toEqual(['api:1', 'api:3'])
    expect(await list({familyPrefix: 'api', status: 'INACTIVE'})).toEqual(['api:2'])
    const first = await w.ecs.send(new ListTaskDefinitionsCommand({maxResults: 2}))
    expect(first.taskDefinitionArns).toHaveLength(2)
    const rest = await w.ecs.send(
      new ListTaskDefinitionsCommand({maxResults: 100, nextToken: first.nextToken}),
    )
    expect([...first.taskDefinitionArns!, ...rest.taskDefinitionArns!].map((a) => a.split('/')[1])).toEqual([
      'api:1',
      'api:3',
      'apx:1',
      'batch:1',
      'todobackend:1',
    ])
    await expect(
      w.ecs.send(new ListTaskDefinitionsCommand({status: 'GONE' as 'ACTIVE'})),
    ).rejects.toMatchObject({name: 'InvalidParameterException'})
  })
})
