/** The JSON of a CloudFormation template, and the intrinsic functions the hook stack uses. */
export type Json = string | number | boolean | null | Json[] | {[key: string]: Json}

export interface Resource {
  Type: string
  Properties: {[key: string]: Json}
  DependsOn?: string[]
  DeletionPolicy?: 'Delete' | 'Retain' | 'RetainExceptOnCreate' | 'Snapshot'
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot'
}

export const sub = (s: string): Json => ({'Fn::Sub': s})
export const ref = (logicalId: string): Json => ({Ref: logicalId})
export const getAtt = (logicalId: string, attr: string): Json => ({'Fn::GetAtt': [logicalId, attr]})
