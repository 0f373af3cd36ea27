import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createProgram, type Actions } from '../../src/cli.js'
import type { DevelopOptions } from '../../src/commands/develop.js'
import type { NewOptions } from '../../src/commands/new.js'

/** Parses argv with fake actions and returns what the command would have received. */
async function parse(args: string[]): Promise<{ newProject?: NewOptions; develop?: DevelopOptions }> {
  const seen: { newProject?: NewOptions; develop?: DevelopOptions } = {}
  const actions: Actions = {
    newProject: async (options) => (seen.newProject = options),
    develop: async (options) => (seen.develop = options),
    doctor: async () => undefined,
  }
  const program = createProgram(actions)
  program.exitOverride()
  for (const command of [program, ...program.commands]) {
    command.exitOverride()
    command.configureOutput({ writeErr: () => {}, writeOut: () => {} })
  }
  await program.parseAsync(['node', 'rusty', ...args])
  return seen
}

test('new: defaults', async () => {
  const { newProject } = await parse(['new', 'my-lib'])
  assert.deepEqual(newProject, {
    dir: 'my-lib',
    name: undefined,
    backend: undefined,
    description: undefined,
    yes: false,
    interactive: true,
    git: true,
    dryRun: false,
  })
})

test('new: every flag', async () => {
  const { newProject } = await parse([
    'new', 'dir with space', '--name', '@a/b', '--backend', 'koffi', '--description', 'd "q"',
    '--yes', '--no-interactive', '--no-git', '--dry-run',
  ])
  assert.deepEqual(newProject, {
    dir: 'dir with space',
    name: '@a/b',
    backend: 'koffi',
    description: 'd "q"',
    yes: true,
    interactive: false,
    git: false,
    dryRun: true,
  })
})

test('new: -y and no folder (the command decides whether it may ask)', async () => {
  const { newProject } = await parse(['new', '-y'])
  assert.equal(newProject?.dir, undefined)
  assert.equal(newProject?.yes, true)
})

test('new: an unknown backend is refused by the parser', async () => {
  await assert.rejects(parse(['new', 'x', '--backend', 'cffi']), /Allowed choices are napi, koffi, wasm/)
})

test('develop: defaults', async () => {
  const { develop } = await parse(['develop'])
  assert.deepEqual(develop, { cargoArgs: [], release: false, features: [], targetDir: undefined, into: [] })
})

test('develop: flags, repeated --into and cargo args after --', async () => {
  const { develop } = await parse([
    'develop', '--release', '--features', 'a,b c', '--target-dir', 't', '--into', '../app1', '--into', '../app2',
    '--', '--locked', '-j', '1',
  ])
  assert.deepEqual(develop, {
    cargoArgs: ['--locked', '-j', '1'],
    release: true,
    features: ['a', 'b', 'c'],
    targetDir: 't',
    into: ['../app1', '../app2'],
  })
})

test('an unknown command is an error', async () => {
  await assert.rejects(parse(['frobnicate']), /unknown command/)
})
