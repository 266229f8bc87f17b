import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The e2e tests run the built CLI: rebuild first when dist/ is older than src/.
    globalSetup: ['test/setup/fresh-build.ts'],
    env: {AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1'},
    // e2e tests run the built CLI against a sim on a 2-core machine shared with the other workers.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // e2e tests start servers and child processes; the machine has two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
})
