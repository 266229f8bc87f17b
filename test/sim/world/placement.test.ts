/**
 * Task placement through the SDK over HTTP, in the multi-az scenario (3 m5.large over 2 AZs + 1 c5.xlarge).
 * - "Use strategies to define Amazon ECS task placement" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html):
 *   resources, then constraints, then strategies; services spread over attribute:ecs.availability-zone by default.
 * - PlacementConstraint (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementConstraint.html):
 *   "Use distinctInstance to ensure that each task in a particular group is running on a different container
 *   instance. Use memberOf to restrict the selection to a group of valid candidates."
 * - PlacementStrategy (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html): spread,
 *   binpack ("the instance with the least amount of remaining memory but still enough to run the task"), random.
 * - The cluster query language (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html).
 * - PutAttributes / ListAttributes (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutAttributes.html).
 * - "Amazon ECS service event messages" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html).
 */
import {
  DeleteAttributesCommand,
  ListAttributesCommand,
  PutAttributesCommand,
  RunTaskCommand,
  type ContainerInstance,
  type Task,
} from '@aws-sdk/client-ecs'
import {afterEach, describe, expect, it} from 'vitest'

import {
  advance,
  createService,
  drain,
  events,
  instances,
  registerTaskDef,
  startWorld,
  tasks,
  type World,
} from './sdk-world.js'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

const multiAz = () => startWorld({scenario: 'multi-az'})

function zoneOf(cis: ContainerInstance[], t: Task): string {
  return cis
    .find((c) => c.containerInstanceArn === t.containerInstanceArn)!
    .attributes!.find((a) => a.name === 'ecs.availability-zone')!.value!
}

function typeOf(cis: ContainerInstance[], t: Task): string {
  return cis
    .find((c) => c.containerInstanceArn === t.containerInstanceArn)!
    .attributes!.find((a) => a.name === 'ecs.instance-type')!.value!
}

const live = async (w: World, family: string) =>
  (await tasks(w, {family})).filter((t) => t.desiredStatus === 'RUNNING')

describe('task placement', () => {
  it('the multi-az scenario: web one per m5 instance over both AZs, reports on the c5, worker binpacked', async () => {
    w = await multiAz()
    const cis = await instances(w)
    expect(cis.map((c) => c.attributes!.find((a) => a.name === 'ecs.instance-type')!.value).sort()).toEqual([
      'c5.xlarge',
      'm5.large',
      'm5.large',
      'm5.large',
    ])
    const web = await live(w, 'web')
    expect(new Set(web.map((t) => t.containerInstanceArn)).size).toBe(3)
    expect(new Set(web.map((t) => zoneOf(cis, t)))).toEqual(new Set(['us-east-1a', 'us-east-1b']))
    expect((await live(w, 'reports')).map((t) => typeOf(cis, t))).toEqual(['c5.xlarge'])
    const worker = await live(w, 'worker')
    expect(new Set(worker.map((t) => t.containerInstanceArn)).size).toBe(1)
  })

  it('distinctInstance: a drained web task goes to the only instance without one', async () => {
    w = await multiAz()
    const cis = await instances(w)
    const [first] = await live(w, 'web')
    const c5 = cis.find((c) =>
      c.attributes!.some((a) => a.name === 'ecs.instance-type' && a.value === 'c5.xlarge'),
    )!
    await drain(w, first!.containerInstanceArn!)
    advance(w, 5_000)
    const placed = (await live(w, 'web')).filter((t) => t.taskArn !== first!.taskArn)
    expect(placed).toHaveLength(3)
    expect(placed.filter((t) => t.containerInstanceArn === c5.containerInstanceArn)).toHaveLength(1)
    expect(new Set(placed.map((t) => t.containerInstanceArn)).size).toBe(3)
  })

  it('memberOf: reports cannot leave the c5 instance, and the service says why in ECS words', async () => {
    w = await multiAz()
    const [reports] = await live(w, 'reports')
    await drain(w, reports!.containerInstanceArn!)
    advance(w, 600_000)
    expect((await live(w, 'reports')).map((t) => t.taskArn)).toEqual([reports!.taskArn])
    expect(await events(w, 'reports')).toContainEqual(
      expect.stringMatching(
        /^\(service reports\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance \w+\) encountered error "MemberOf placement constraint unsatisfied"\. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide\.$/,
      ),
    )
  })

  it('memberOf over a custom attribute (PutAttributes), which ListAttributes lists and DeleteAttributes removes', async () => {
    w = await multiAz()
    const cis = await instances(w)
    const target = cis[1]!
    await w.ecs.send(
      new PutAttributesCommand({
        cluster: w.cluster,
        attributes: [{name: 'stack', value: 'prod', targetId: target.containerInstanceArn}],
      }),
    )
    const listed = await w.ecs.send(
      new ListAttributesCommand({
        cluster: w.cluster,
        targetType: 'container-instance',
        attributeName: 'stack',
      }),
    )
    expect(listed.attributes).toEqual([
      {name: 'stack', value: 'prod', targetType: 'container-instance', targetId: target.containerInstanceArn},
    ])
    await registerTaskDef(w, 'pinned', {memory: 64})
    const run = await w.ecs.send(
      new RunTaskCommand({
        cluster: w.cluster,
        taskDefinition: 'pinned',
        count: 3,
        placementConstraints: [
          {
            type: 'memberOf',
            expression:
              'attribute:stack == prod and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]',
          },
        ],
      }),
    )
    expect(run.failures).toEqual([])
    expect(new Set(run.tasks!.map((t) => t.containerInstanceArn))).toEqual(
      new Set([target.containerInstanceArn]),
    )
    await w.ecs.send(
      new DeleteAttributesCommand({
        cluster: w.cluster,
        attributes: [{name: 'stack', targetId: target.containerInstanceArn}],
      }),
    )
    const again = await w.ecs.send(
      new RunTaskCommand({
        cluster: w.cluster,
        taskDefinition: 'pinned',
        placementConstraints: [{type: 'memberOf', expression: 'attribute:stack exists'}],
      }),
    )
    expect(again.tasks).toEqual([])
    expect(again.failures![0]!.reason).toBe('MemberOf placement constraint unsatisfied')
  })

  it('PutAttributes refuses what ECS refuses: an unknown target, an 11th custom attribute, a reserved name', async () => {
    w = await multiAz()
    const [ci] = await instances(w)
    const put = (name: string, targetId = ci!.containerInstanceArn) =>
      w!.ecs.send(new PutAttributesCommand({cluster: w!.cluster, attributes: [{name, value: 'x', targetId}]}))
    await expect(put('a', ci!.containerInstanceArn!.replace(/\w+$/, 'f'.repeat(32)))).rejects.toMatchObject({
      name: 'TargetNotFoundException',
    })
    await expect(put('ecs.instance-type')).rejects.toMatchObject({name: 'InvalidParameterException'})
    for (let i = 0; i < 10; i++) await put(`a${i}`)
    await expect(put('one-too-many')).rejects.toMatchObject({name: 'AttributeLimitExceededException'})
    await expect(put('a3')).resolves.toBeDefined()
  })

  it('spread by AZ (the service default) balances a new service over both zones', async () => {
    w = await multiAz()
    await createService(w, 'spready', {desiredCount: 4}, {memory: 64})
    const cis = await instances(w)
    const zones = (await live(w, 'spready')).map((t) => zoneOf(cis, t))
    expect(zones.filter((z) => z === 'us-east-1a')).toHaveLength(2)
    expect(zones.filter((z) => z === 'us-east-1b')).toHaveLength(2)
  })

  it('binpack memory fills the fullest instance that still fits; random spreads over candidates', async () => {
    w = await multiAz()
    const cis = await instances(w)
    const remaining = (c: ContainerInstance) =>
      c.remainingResources!.find((r) => r.name === 'MEMORY')!.integerValue!
    const fullest = [...cis].sort((a, b) => remaining(a) - remaining(b))[0]!
    await createService(
      w,
      'packed',
      {desiredCount: 3, placementStrategy: [{type: 'binpack', field: 'memory'}]},
      {memory: 64},
    )
    expect(new Set((await live(w, 'packed')).map((t) => t.containerInstanceArn))).toEqual(
      new Set([fullest.containerInstanceArn]),
    )
    await registerTaskDef(w, 'dice', {memory: 16})
    const seen = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const run = await w.ecs.send(
        new RunTaskCommand({
          cluster: w.cluster,
          taskDefinition: 'dice',
          count: 10,
          placementStrategy: [{type: 'random'}],
        }),
      )
      for (const t of run.tasks!) seen.add(t.containerInstanceArn!)
    }
    expect(seen.size).toBeGreaterThan(1)
    expect(seen.size).toBeLessThanOrEqual(cis.length)
  })

  it('refuses malformed constraints and strategies with InvalidParameterException', async () => {
    w = await multiAz()
    await registerTaskDef(w, 'bad', {memory: 16})
    const run = (input: object) =>
      w!.ecs.send(new RunTaskCommand({cluster: w!.cluster, taskDefinition: 'bad', ...input}))
    for (const expression of [
      '(attribute:x == y',
      'nosuchsubject == 1',
      'attribute:x ==',
      'attribute:x =~ (',
    ])
      await expect(run({placementConstraints: [{type: 'memberOf', expression}]})).rejects.toMatchObject({
        name: 'InvalidParameterException',
      })
    await expect(
      run({placementConstraints: [{type: 'distinctInstance', expression: 'attribute:x exists'}]}),
    ).rejects.toMatchObject({name: 'InvalidParameterException'})
    await expect(run({placementStrategy: [{type: 'binpack', field: 'disk'}]})).rejects.toMatchObject({
      name: 'InvalidParameterException',
    })
  })
})
