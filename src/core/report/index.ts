/**
 * `ecsdrain report`: what a past window did to a cluster's services, read back from AWS.
 *   const evidence = await readEvidence(ports, options)   // bounded calls (read.ts)
 *   const report = buildReport(evidence)                  // pure (build.ts); the JSON contract (types.ts)
 */
export {readEvidence, type ReportOptions, type ReportPorts} from './read.js'
export {buildReport, type ReportEvidence} from './build.js'
export type * from './types.js'
