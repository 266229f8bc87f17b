import {describe, expect, it} from 'vitest'

import {dependencyGraph, references, resolve, type Resolver} from '../../../src/sim/stack/intrinsics.js'

const r: Resolver = {
  pseudo: {'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::StackName': 's'},
  ref: (id) => ({Topic: 'arn:aws:sns:us-east-1:123456789012:t', Fn: 'fn-name'})[id],
  attr: (id, name) =>
    id === 'Fn' && name === 'Arn' ? 'arn:aws:lambda:us-east-1:123456789012:function:fn-name' : undefined,
}

describe('CloudFormation intrinsics in the sim', () => {
  it('resolves Ref, GetAtt (both forms), Sub with pseudo parameters and attributes, and Join', () => {
    expect(
      resolve(
        {
          a: {Ref: 'Topic'},
          b: {'Fn::GetAtt': ['Fn', 'Arn']},
          c: {'Fn::GetAtt': 'Fn.Arn'},
          d: {'Fn::Sub': 'arn:${AWS::Region}:${AWS::AccountId}/${Fn}/${Fn.Arn}/${AWS::StackName}'},
          e: {'Fn::Sub': ['${X}-${Topic}', {X: {Ref: 'Fn'}}]},
          f: {'Fn::Join': ['/', ['x', {Ref: 'Fn'}]]},
          g: [{Ref: 'AWS::Region'}],
        },
        r,
      ),
    ).toEqual({
      a: 'arn:aws:sns:us-east-1:123456789012:t',
      b: 'arn:aws:lambda:us-east-1:123456789012:function:fn-name',
      c: 'arn:aws:lambda:us-east-1:123456789012:function:fn-name',
      d: 'arn:us-east-1:123456789012/fn-name/arn:aws:lambda:us-east-1:123456789012:function:fn-name/s',
      e: 'fn-name-arn:aws:sns:us-east-1:123456789012:t',
      f: 'x/fn-name',
      g: ['us-east-1'],
    })
  })

  it('fails on what is not provisioned, as a template error', () => {
    expect(() => resolve({Ref: 'Nope'}, r)).toThrow(/unresolved resource dependency \[Nope\]/)
    expect(() => resolve({'Fn::Sub': '${Nope.Arn}'}, r)).toThrow(/unresolved variable/)
  })

  it('finds dependencies through Ref, GetAtt, Sub and DependsOn; rejects unknown ones and cycles', () => {
    expect([...references({x: {'Fn::Sub': '${A}-${B.Arn}-${AWS::Region}'}, y: {Ref: 'C'}})].sort()).toEqual([
      'A',
      'B',
      'C',
    ])
    const graph = dependencyGraph({
      A: {Type: 'T'},
      B: {Type: 'T', Properties: {p: {Ref: 'A'}}},
      C: {Type: 'T', DependsOn: ['B']},
    })
    expect([...graph.get('C')!]).toEqual(['B'])
    expect(() => dependencyGraph({A: {Type: 'T', Properties: {p: {Ref: 'Z'}}}})).toThrow(
      /Unresolved resource dependencies \[Z\]/,
    )
    expect(() =>
      dependencyGraph({A: {Type: 'T', DependsOn: 'B'}, B: {Type: 'T', Properties: {p: {Ref: 'A'}}}}),
    ).toThrow(/Circular dependency/)
  })
})
