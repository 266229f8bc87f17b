/**
 * The CLI bundle's entry points (src/bundle): oclif's explicit command discovery finds only the commands
 * listed there, the plugins are left out of runs that cannot need them, and a run of one of our commands
 * is pointed at that command's own program (test/e2e/instances-cli.test.ts checks the built files).
 */
import {readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {COMMAND_IDS} from '../../src/bundle/command-ids.js'
import {COMMANDS} from '../../src/bundle/commands.js'
import {needsPlugins, oclifFor} from '../../src/bundle/run.js'

describe('the explicit command list', () => {
  it('holds every file of src/commands, under its file name, and nothing else', () => {
    const dir = fileURLToPath(new URL('../../src/commands/', import.meta.url))
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort()
    expect([...COMMAND_IDS].sort()).toEqual(files)
    expect(Object.keys(COMMANDS).sort()).toEqual(files)
    for (const [id, command] of Object.entries(COMMANDS)) expect(typeof command.run, id).toBe('function')
  })
})

describe('which runs load the oclif plugins (autocomplete, not-found)', () => {
  it('one of our commands, or --version, goes without them', () => {
    for (const id of COMMAND_IDS) expect(needsPlugins([id, '--help'])).toBe(false)
    expect(needsPlugins(['instances', '--json'])).toBe(false)
    expect(needsPlugins(['--version'])).toBe(false)
  })

  it('help, autocomplete, no command and anything unknown load them', () => {
    expect(needsPlugins([])).toBe(true)
    expect(needsPlugins(['--help'])).toBe(true)
    expect(needsPlugins(['help', 'instances'])).toBe(true)
    expect(needsPlugins(['autocomplete', 'bash'])).toBe(true)
    expect(needsPlugins(['instnces'])).toBe(true)
    expect(needsPlugins(['--json', 'instances'])).toBe(true)
  })
})

describe('which commands file a run points oclif at', () => {
  const oclif = {
    bin: 'ecsdrain',
    commands: {strategy: 'explicit' as const, target: './dist/bundle/commands.js', identifier: 'COMMANDS'},
    plugins: ['@oclif/plugin-autocomplete', '@oclif/plugin-not-found'],
  }

  it('one of our commands (its help too): the program bin/load.js loaded, for the command and for help, without the plugins', () => {
    for (const id of COMMAND_IDS) {
      for (const argv of [[id], [id, '--help'], [id, '--json', '--cluster', 'x']]) {
        const program = `program-${id}.cjs`
        const file = `./dist/bundle/${program}`
        expect(oclifFor(argv, oclif, program)).toEqual({
          ...oclif,
          plugins: [],
          commands: {strategy: 'explicit', target: file, identifier: 'COMMANDS'},
          helpClass: file,
        })
      }
    }
  })

  it('--version: every command as before, without the plugins, with the help class of the file it loaded', () => {
    expect(oclifFor(['--version'], oclif, 'run.cjs')).toEqual({
      ...oclif,
      plugins: [],
      helpClass: './dist/bundle/run.cjs',
    })
  })

  it('help, autocomplete, a typo: package.json as it is, with the help class of the file it loaded', () => {
    for (const argv of [
      [],
      ['--help'],
      ['help', 'instances'],
      ['autocomplete'],
      ['instnces'],
      ['--json', 'drain'],
    ])
      expect(oclifFor(argv, oclif, 'run.cjs')).toEqual({...oclif, helpClass: './dist/bundle/run.cjs'})
  })
})
