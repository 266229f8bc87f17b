/**
 * CloudFormation's intrinsic functions, as far as stacks deployed to the sim use them: Ref, Fn::GetAtt,
 * Fn::Sub (with pseudo parameters and `${Logical.Attr}`) and Fn::Join. Also the dependency graph they
 * imply, together with DependsOn, which decides the order resources are created and deleted in.
 */
import {SimError} from '../types.js'

export interface Resolver {
  pseudo: Record<string, string>
  /** A provisioned resource's Ref value, or undefined if it is not (yet) provisioned. */
  ref(logicalId: string): string | undefined
  attr(logicalId: string, name: string): string | undefined
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function fail(message: string): never {
  throw new SimError('ValidationError', `Template error: ${message}`)
}

export function resolve(value: unknown, r: Resolver): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, r))
  if (!isObject(value)) return value
  const keys = Object.keys(value)
  if (keys.length === 1) {
    const [k] = keys as [string]
    const arg = value[k]
    if (k === 'Ref') {
      const name = String(arg)
      return r.pseudo[name] ?? r.ref(name) ?? fail(`unresolved resource dependency [${name}] in Ref`)
    }
    if (k === 'Fn::GetAtt') {
      const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.')
      return r.attr(String(id), String(attr)) ?? fail(`unresolved attribute ${id}.${attr} in Fn::GetAtt`)
    }
    if (k === 'Fn::Sub') return substitute(arg, r)
    if (k === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]]
      return (resolve(parts, r) as unknown[]).map(String).join(sep)
    }
  }
  const out: Record<string, unknown> = {}
  for (const k of keys) out[k] = resolve(value[k], r)
  return out
}

function substitute(arg: unknown, r: Resolver): string {
  const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}]
  return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
    if (vars[name] !== undefined) return String(resolve(vars[name], r))
    if (r.pseudo[name] !== undefined) return r.pseudo[name]
    const dot = name.indexOf('.')
    const value = dot < 0 ? r.ref(name) : r.attr(name.slice(0, dot), name.slice(dot + 1))
    return value ?? fail(`unresolved variable \${${name}} in Fn::Sub`)
  })
}

/** The logical ids a value refers to (Ref, GetAtt, and `${X}` / `${X.Attr}` inside Sub). */
export function references(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) references(v, into)
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') into.add(v)
      else if (k === 'Fn::GetAtt') into.add(String(Array.isArray(v) ? v[0] : String(v).split('.')[0]))
      else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? String(v[0]) : String(v)
        for (const m of text.matchAll(/\$\{([^}!.]+)(?:\.[^}]*)?\}/g)) into.add(m[1]!)
        if (Array.isArray(v)) references(v[1], into)
      } else references(v, into)
    }
  }
  for (const id of [...into]) if (id.startsWith('AWS::')) into.delete(id)
  return into
}

export interface TemplateResource {
  Type: string
  Properties?: Record<string, unknown>
  DependsOn?: string | string[]
}

/** Each resource's dependencies; rejects unknown references and cycles, as CloudFormation's validation does. */
export function dependencyGraph(resources: Record<string, TemplateResource>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const [id, res] of Object.entries(resources)) {
    const deps = references(res.Properties ?? {})
    for (const d of [res.DependsOn ?? []].flat()) deps.add(d)
    for (const d of deps) {
      if (!(d in resources))
        fail(`Unresolved resource dependencies [${d}] in the Resources block of the template`)
    }
    graph.set(id, deps)
  }
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (id: string): void => {
    if (state.get(id) === 'done') return
    if (state.get(id) === 'visiting') fail(`Circular dependency between resources: [${id}]`)
    state.set(id, 'visiting')
    for (const d of graph.get(id)!) visit(d)
    state.set(id, 'done')
  }
  for (const id of graph.keys()) visit(id)
  return graph
}
