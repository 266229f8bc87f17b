/** The cluster query language of memberOf constraints, with the documented operators and the examples. */
import {describe, expect, it} from 'vitest'

import {matchesQuery, QuerySyntaxError, UnknownSubject} from '../../../src/core/drain/cluster-query.js'
import {instance} from './fake-world.js'

const i = instance(1, {
  availabilityZone: 'us-east-1a',
  instanceType: 't2.micro',
  runningTasksCount: 3,
  attributes: {'ecs.availability-zone': 'us-east-1a', 'ecs.instance-type': 't2.micro', stack: 'prod'},
})

describe('matchesQuery', () => {
  it.each([
    ['attribute:ecs.instance-type == t2.micro', true],
    ['attribute:ecs.instance-type != t2.micro', false],
    ['attribute:ecs.instance-type =~ t2.*', true],
    ['attribute:ecs.instance-type !~ t2.*', false],
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', true],
    ['attribute:ecs.availability-zone not_in [us-east-1a, us-east-1b]', false],
    ['attribute:ecs.availability-zone !in [us-east-1b]', true],
    ['attribute:stack exists', true],
    ['attribute:team exists', false],
    ['attribute:team !exists', true],
    ['runningTasksCount > 2', true],
    ['runningTasksCount <= 2', false],
    ['attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1b', false],
    ['attribute:ecs.instance-type =~ g2.* or attribute:ecs.availability-zone == us-east-1a', true],
    ['not(attribute:ecs.instance-type =~ t2.*)', false],
    ['!(attribute:ecs.availability-zone == us-east-1b) && attribute:stack == prod', true],
    ['(attribute:stack == dev || attribute:stack == prod) and runningTasksCount == 3', true],
    [`ec2InstanceId == ${i.ec2InstanceId}`, true],
  ])('%s -> %s', (expression, expected) => {
    expect(matchesQuery(expression, i)).toBe(expected)
  })

  it('falls back to the instance fields for the built-in attributes', () => {
    expect(matchesQuery('attribute:ecs.availability-zone == us-east-1a', {...i, attributes: {}})).toBe(true)
  })

  it('rejects what it cannot evaluate', () => {
    expect(() => matchesQuery('task:group == service:web', i)).toThrow(UnknownSubject)
    expect(() => matchesQuery('attribute:x ~~ y', i)).toThrow(QuerySyntaxError)
    expect(() => matchesQuery('attribute:x == y and', i)).toThrow(QuerySyntaxError)
  })
})
