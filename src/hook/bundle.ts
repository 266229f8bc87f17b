/**
 * The handler bundle: one CommonJS file for the template's inline ZipFile. `npm run build` writes it to
 * dist/hook/lambda.bundle.cjs; `install` and `--print` read it from there, offline. Without a build (tests
 * on the sources) it is bundled in memory, which needs esbuild, a dev dependency.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

/** Two levels up from both src/hook and dist/hook is the package root. */
const ROOT = new URL('../../', import.meta.url)
export const BUNDLE_PATH = fileURLToPath(new URL('dist/hook/lambda.bundle.cjs', ROOT))
const ENTRY = fileURLToPath(new URL('src/hook/lambda.ts', ROOT))

async function bundle(write: boolean): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    // The Lambda runtime ships AWS SDK v3 (and the @smithy packages it is built on).
    external: ['@aws-sdk/*'],
    outfile: BUNDLE_PATH,
    write,
    logLevel: 'warning',
  })
  return write ? readFileSync(BUNDLE_PATH, 'utf8') : result.outputFiles![0]!.text
}

/** For the build step. */
export async function writeHandlerBundle(): Promise<number> {
  return Buffer.byteLength(await bundle(true))
}

let cached: string | undefined

export async function loadHandlerCode(): Promise<string> {
  if (cached !== undefined) return cached
  try {
    cached = readFileSync(BUNDLE_PATH, 'utf8')
  } catch {
    cached = await bundle(false)
  }
  return cached
}
