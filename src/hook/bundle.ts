/**
 * The handler bundle: one CommonJS file for the template's inline ZipFile. `npm run build` writes it to
 * dist/hook/lambda.bundle.cjs; `install` and `--print` read it from there, offline. Without a build (tests
 * on the sources) it is bundled in memory, which needs esbuild, a dev dependency.
 *
 * Why the inline code is a Brotli+base64 loader: CloudFormation no longer caps ZipFile at 4096 characters
 * (the limit was lifted in 2022; the resource schema sets no maximum), but CreateChangeSet takes at most
 * 51,200 bytes of TemplateBody. The engine's minified bundle (~50 KB, more once JSON-escaped) does not fit
 * beside the other resources. Compressed and in base64 it takes ~35 KB with Brotli at quality 11 (~40 KB with
 * gzip -9, which no longer left room for the stack's alarms). The template stays self-contained: `--print`
 * works offline and needs no S3 bucket, and the loader is a few lines anyone can read.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {brotliCompressSync, constants} from 'node:zlib'

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
    // CommonJS has no import.meta. The ESM-only paths that read it (sdk.ts's createRequire, which the bundle
    // never takes because `require` exists; package.json lookups, which fall back) get `undefined`, which is
    // what esbuild would substitute anyway, said explicitly so that the build prints no warning about it.
    define: {'import.meta.url': 'undefined'},
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

/** The bundle itself (CommonJS, minified). */
export async function loadHandlerBundle(): Promise<string> {
  if (cached !== undefined) return cached
  try {
    cached = readFileSync(BUNDLE_PATH, 'utf8')
  } catch {
    cached = await bundle(false)
  }
  return cached
}

/**
 * The inline ZipFile text: a CommonJS loader that decompresses the bundle (Node's own zlib: Brotli) and runs
 * it as this module, so `exports.handler` is the bundle's. The output is deterministic, so an unchanged
 * install is a no-op.
 */
export function inlineLoader(bundleCode: string): string {
  const raw = Buffer.from(bundleCode, 'utf8')
  const packed = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  }).toString('base64')
  return [
    '// ecsdrain hook handler: its bundled drain engine, Brotli+base64 to fit the template (see ecsdrain src/hook).',
    `const code = require('zlib').brotliDecompressSync(Buffer.from('${packed}', 'base64')).toString('utf8')`,
    "new Function('exports', 'require', 'module', '__filename', '__dirname', code)(exports, require, module, __filename, __dirname)",
    '',
  ].join('\n')
}

/** What the template inlines as Code.ZipFile. */
export async function loadHandlerCode(): Promise<string> {
  return inlineLoader(await loadHandlerBundle())
}
