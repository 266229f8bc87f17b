/**
 * `ecsdrain sim` as a user runs it: the built CLI prints its readiness line, answers over HTTP, and exits 0
 * on SIGTERM; a port in use or a bad flag is a usage error (exit 2). Needs `npm run build` first.
 */
import {ListClustersCommand} from '@aws-sdk/client-ecs'
import {spawn, spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {setTimeout} from 'node:timers/promises'
import {createServer} from 'node:net'
import {createInterface} from 'node:readline'
import {afterEach, describe, expect, it} from 'vitest'

import {BIN, REPO_ROOT, simClients, spawnSim, type SpawnedSim} from '../../helpers/sim.js'
import {ECS_JSON, raw} from './raw-http.js'

const running: SpawnedSim[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop('SIGKILL')))
})

function runCli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 20_000,
    env: {...process.env, NO_COLOR: '1'},
  })
}

describe('ecsdrain sim (built CLI)', () => {
  it('prints the readiness JSON, answers the SDK, and exits 0 on SIGTERM', async () => {
    const sim = await spawnSim(['--scenario', 'todobackend', '--hook', 'manual'])
    running.push(sim)
    expect(sim.ready).toEqual({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      region: 'us-east-1',
      clusters: ['todobackend-cluster'],
      autoScalingGroups: [expect.stringContaining('todobackend')],
    })
    const {ecs} = simClients(sim.ready.endpoint)
    const out = await ecs.send(new ListClustersCommand({}))
    expect(out.clusterArns).toEqual([expect.stringMatching(/:cluster\/todobackend-cluster$/)])
    expect(await sim.stop('SIGTERM')).toBe(0)
  })

  it('exits 0 on SIGINT too', async () => {
    const sim = await spawnSim()
    running.push(sim)
    expect(await sim.stop('SIGINT')).toBe(0)
  })

  it('prints the endpoint line on stdout and a hint on stderr without --json', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', '--port', '0'], {
      cwd: REPO_ROOT,
      env: {...process.env, NO_COLOR: '1'},
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const firstLine = once(createInterface({input: child.stdout}), 'line') as Promise<[string]>
      const diedFirst = exited.then((code) => Promise.reject(new Error(`exited ${code} first: ${stderr}`)))
      const [line] = await Promise.race([firstLine, diedFirst])
      expect(line).toMatch(/^endpoint: http:\/\/127\.0\.0\.1:\d+$/)
      const endpoint = line.slice('endpoint: '.length)
      const {ecs} = simClients(endpoint)
      expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toHaveLength(1)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(stderr).toContain(`aws --endpoint-url ${endpoint} --region us-east-1 ecs list-clusters`)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('refuses a port already in use with exit 2 and a next step', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const child = runCli(['sim', '--port', String(port)])
      expect(child.status).toBe(2)
      expect(child.stderr).toContain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`)
      expect(child.stderr).toContain('--port 0')
    } finally {
      blocker.close()
    }
  })

  it('--allow-remote warns on stderr what it exposes, and serves a non-loopback Host', async () => {
    const sim = await spawnSim(['--allow-remote'])
    running.push(sim)
    // stderr is its own pipe: the readiness line on stdout may be read first.
    for (let i = 0; i < 50 && !sim.stderr().includes('Use it only'); i++) await setTimeout(40)
    expect(sim.stderr()).toContain('WARNING: --allow-remote')
    expect(sim.stderr()).toMatch(/inline Lambda function[^]*runs that code on this machine/)
    const response = await raw(sim.ready.endpoint, {
      headers: {...ECS_JSON('ListClusters'), host: 'sim.example.net'},
      body: '{}',
      sign: 'ecs',
    })
    expect(response.status).toBe(200)
  })

  it('without --allow-remote a non-loopback Host is refused, and nothing is printed about it', async () => {
    const sim = await spawnSim()
    running.push(sim)
    expect(sim.stderr()).not.toContain('--allow-remote')
    const response = await raw(sim.ready.endpoint, {
      headers: {...ECS_JSON('ListClusters'), host: 'sim.example.net'},
      body: '{}',
      sign: 'ecs',
    })
    expect(response.status).toBe(403)
  })

  it('--faults-seed makes the built CLI throttle the same calls in every run', async () => {
    const outcomes = async () => {
      const sim = await spawnSim(['--faults', 'throttle=0.5@ListClusters', '--faults-seed', '3'])
      running.push(sim)
      const {ecs} = simClients(sim.ready.endpoint, {maxAttempts: 1})
      const out: string[] = []
      for (let i = 0; i < 16; i++)
        out.push(
          await ecs.send(new ListClustersCommand({})).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        )
      await sim.stop()
      return out
    }
    const first = await outcomes()
    expect(first).toContain('ThrottlingException')
    expect(first).toContain('ok')
    expect(await outcomes()).toEqual(first)
  })

  it('--help documents the faults syntax, per-operation rules and the seed', () => {
    const child = runCli(['sim', '--help'])
    expect(child.status).toBe(0)
    expect(child.stdout).toContain("'throttle=0.5@ListTasks,error=0.1'")
    expect(child.stdout).toContain('--faults-seed')
  })

  it.each([
    [['--host', '10.1.2.3'], 'not a loopback address'],
    [['--faults-seed', '-1'], 'Expected an integer greater than or equal to 0'],
    [['--faults', 'throttle=0.5@'], 'name an operation as ListTasks or ecs:ListTasks'],
    [['--faults', 'throttle=1.5'], 'a rate is a number from 0 to 1'],
    [['--faults', 'explode=1'], 'is not a fault'],
    [['--speed', '0'], '--speed must be a number above 0'],
    [['--rollout-every', 'soon'], 'is not a duration'],
    [['--scenario', 'huge'], 'Expected --scenario=huge to be one of'],
  ])('rejects %j with exit 2', (args, message) => {
    const child = runCli(['sim', '--port', '0', ...args])
    expect(child.status).toBe(2)
    expect(child.stderr).toContain(message)
  })
})
