import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'oclif.manifest.json']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']",
          message: 'No process.exit outside bin/: return an exit code through oclif.',
        },
      ],
    },
  },
  {
    // The @oclif/core index runs a Node version check (semver, 47 files) and loads all of oclif at once;
    // the subpaths (@oclif/core/flags, /command, ...) load only what is used, bundled or not.
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {name: '@oclif/core', message: 'Import from a subpath: @oclif/core/flags, /args, /command, ...'},
          ],
        },
      ],
    },
  },
  {
    // The simulator is reached only over HTTP, like real AWS: it must not share logic with the CLI,
    // or a bug in that logic would be mirrored on both sides and tests would pass on wrong behaviour.
    files: ['src/sim/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        // Relative imports only: a bare pattern like **/core/** would also catch @smithy/core.
        {
          patterns: [
            {
              regex: String.raw`^\.\.?/(?:.*/)?(?:core|aws|hook|ui|render|commands|cli)(?:/|$)`,
              message: 'src/sim is reached only over HTTP: it imports nothing from the CLI side.',
            },
          ],
        },
      ],
    },
  },
  {
    // core is the domain: no SDK, oclif, ink or listr2.
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@aws-sdk/*',
            '@smithy/*',
            '@oclif/*',
            'ink',
            'ink-*',
            'listr2',
            'react',
            '**/aws/**',
            '**/sim/**',
            '**/ui/**',
            '**/render/**',
            '**/commands/**',
          ],
        },
      ],
    },
  },
)
