/**
 * Benchmark of the sim's world model (no HTTP): how long the `large` scenario takes to build, the process's
 * RSS afterwards, and the handler time of the calls a drain of a big cluster leans on.
 * Prints figures; it is not a test. Run it (from the repository root) with:
 *   npx esbuild bench/sim-world.ts --bundle --platform=node --format=esm --outfile=/tmp/sim-world.mjs \
 *     && node /tmp/sim-world.mjs [instances] [services] [tasksPerInstance]
 * The HTTP figures (DescribeContainerInstances over the wire) are measured by the server's own bench.
 */
import {performance} from 'node:perf_hooks'
import {ManualClock} from '../src/sim/clock.js'
import {createWorld} from '../src/sim/world/index.js'

const [instances = 1000, services = 100, tasksPerInstance = 10] = process.argv.slice(2).map(Number)
const ctx = {region: 'eu-west-1', requestId: 'bench'}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function fmt(ms: number): string {
  return `${ms.toFixed(3)} ms`
}

const rssBefore = process.memoryUsage().rss
const clock = new ManualClock()
const t0 = performance.now()
const world = createWorld({
  clock,
  region: 'eu-west-1',
  accountId: '123456789012',
  scenario: 'large',
  hook: 'none',
  instances,
  services,
  tasksPerInstance,
})
const buildMs = performance.now() - t0
clock.advance(5_000) // the scheduler's first pass over every service
const rss = process.memoryUsage().rss

const ecs = world.handlers.ecs!
type Obj = Record<string, unknown>
const cluster = 'large-cluster'
const arns: string[] = []
let nextToken: string | undefined
const listTimes: number[] = []
do {
  const t = performance.now()
  const page = ecs.ListContainerInstances!({cluster, nextToken}, ctx) as Obj
  listTimes.push(performance.now() - t)
  arns.push(...(page.containerInstanceArns as string[]))
  nextToken = page.nextToken as string | undefined
} while (nextToken)

const describeTimes: number[] = []
for (let i = 0; i < 200; i++) {
  const start = (i * 100) % Math.max(1, arns.length - 100)
  const t = performance.now()
  ecs.DescribeContainerInstances!({cluster, containerInstances: arns.slice(start, start + 100)}, ctx)
  describeTimes.push(performance.now() - t)
}

const one = (
  ecs.DescribeContainerInstances!({cluster, containerInstances: [arns[arns.length - 1]]}, ctx) as Obj
).containerInstances as Obj[]
const filterTimes: number[] = []
for (let i = 0; i < 200; i++) {
  const t = performance.now()
  ecs.ListContainerInstances!({cluster, filter: `ec2InstanceId == ${String(one[0]!.ec2InstanceId)}`}, ctx)
  filterTimes.push(performance.now() - t)
}

const counts = (ecs.DescribeClusters!({clusters: [cluster]}, ctx) as Obj).clusters as Obj[]

// Drains in the big cluster: the call, then the scheduler pass that stops and replaces the tasks.
const drainTimes: number[] = []
const passTimes: number[] = []
for (let i = 0; i < 10; i++) {
  const t1 = performance.now()
  ecs.UpdateContainerInstancesState!({cluster, containerInstances: [arns[i]], status: 'DRAINING'}, ctx)
  const t2 = performance.now()
  clock.advance(1_000)
  drainTimes.push(t2 - t1)
  passTimes.push(performance.now() - t2)
}
// A rolling update of the whole group without a hook (the seed's outage, at scale): wall time per sim hour.
const asg = world.handlers.autoscaling!
asg.StartInstanceRefresh!(
  {
    AutoScalingGroupName: 'large-asg',
    Preferences: {MinHealthyPercentage: '100', MaxHealthyPercentage: '110'},
  },
  ctx,
)
const t3 = performance.now()
const simStart = clock.now()
let refresh: Obj = {}
while (clock.now() - simStart < 4 * 3_600_000) {
  clock.advance(5_000)
  refresh = (
    (asg.DescribeInstanceRefreshes!({AutoScalingGroupName: 'large-asg'}, ctx) as Obj)
      .InstanceRefreshes as Obj[]
  )[0]!
  if (refresh.Status === 'Successful') break
}
const refreshWallMs = performance.now() - t3
const refreshSimMs = clock.now() - simStart
const after = ((ecs.DescribeClusters!({clusters: [cluster]}, ctx) as Obj).clusters as Obj[])[0]!
const rssAfterRefresh = process.memoryUsage().rss
world.stop()

console.log(
  `sim world, large scenario: ${instances} instances, ${services} services, ${tasksPerInstance} tasks/instance`,
)
console.log(
  `  registered instances / running tasks: ${String(counts[0]!.registeredContainerInstancesCount)} / ${String(counts[0]!.runningTasksCount)}`,
)
console.log(`  build (createWorld):                      ${fmt(buildMs)}`)
console.log(`  RSS after build: ${(rss / 1e6).toFixed(1)} MB (before: ${(rssBefore / 1e6).toFixed(1)} MB)`)
console.log(
  `  ListContainerInstances page (median):     ${fmt(median(listTimes))} x ${listTimes.length} pages`,
)
console.log(`  DescribeContainerInstances 100 (median):  ${fmt(median(describeTimes))}`)
console.log(`  ListContainerInstances ec2InstanceId ==:  ${fmt(median(filterTimes))}`)
console.log(`  UpdateContainerInstancesState (median):   ${fmt(median(drainTimes))}`)
console.log(`  scheduler pass after a drain (median):    ${fmt(median(passTimes))}`)
console.log(
  `  refresh of all ${instances} instances (max 110 %, no hook): ${String(refresh.Status)} after ${(refreshSimMs / 60_000).toFixed(1)} sim min, ${fmt(refreshWallMs)} wall`,
)
console.log(
  `  after it: ${String(after.registeredContainerInstancesCount)} instances, ${String(after.runningTasksCount)} running tasks, RSS ${(rssAfterRefresh / 1e6).toFixed(1)} MB`,
)
