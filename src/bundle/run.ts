/**
 * The entry of the CLI bundle (dist/bundle/run.js, built by scripts/build-cli.mjs): oclif's `execute`, from
 * its subpath so that the bundle holds no part of the @oclif/core index (its Node version check pulls in
 * semver). bin/run.js imports this one file instead of resolving oclif's hundred CommonJS files.
 */
export {execute} from '@oclif/core/execute'
