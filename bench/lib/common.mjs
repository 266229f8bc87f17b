/**
 * What several benchmarks share (bench/run.js runs only the files directly in bench/, not this one).
 */

/** The median of a list of numbers (the upper one of the middle two for an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * The environment a benchmark runs the CLI in: placeholder credentials and a region (the sim accepts any
 * signed request), no instance-metadata lookups, and no SDK warning about the Node version.
 */
export const benchEnv = () => ({
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
})
