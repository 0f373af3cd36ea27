import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings'
import { ACTION_NAMES } from '../../src/actions.js'
import { createProgram } from '../../src/cli.js'
import * as api from '../../src/index.js'
import { parse } from '../cli-parse.js'

test('new: defaults', async () => {
  const { newProject } = await parse(['new', 'my-lib'])
  assert.deepEqual(newProject, {
    install: undefined,
    dir: 'my-lib',
    name: undefined,
    backend: undefined,
    description: undefined,
    yes: false,
    interactive: true,
    git: true,
    ci: undefined,
    dryRun: false,
  })
})

test('new: every flag', async () => {
  const { newProject } = await parse([
    'new', 'dir with space', '--name', '@a/b', '--backend', 'koffi', '--description', 'd "q"',
    '--yes', '--no-interactive', '--no-git', '--no-ci', '--no-install', '--dry-run',
  ])
  assert.deepEqual(newProject, {
    install: false,
    dir: 'dir with space',
    name: '@a/b',
    backend: 'koffi',
    description: 'd "q"',
    yes: true,
    interactive: false,
    git: false,
    ci: false,
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
  assert.deepEqual(develop, { watch: false, wasmTarget: undefined, cargoArgs: [], release: false, features: [], targetDir: undefined, into: [] })
})

test('develop --watch', async () => {
  assert.equal((await parse(['develop', '--watch'])).develop?.watch, true)
  assert.equal((await parse(['develop', '-w'])).develop?.watch, true)
})

test('develop: flags, repeated --into and cargo args after --', async () => {
  const { develop } = await parse([
    'develop', '--release', '--features', 'a,b c', '--target-dir', 't', '--into', '../app1', '--into', '../app2',
    '--wasm-target', 'web', '--', '--locked', '-j', '1',
  ])
  assert.deepEqual(develop, {
    watch: false,
    wasmTarget: 'web',
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

test('build: target, out, collect, wasm target', async () => {
  const { build } = await parse(['build', '--target', 'aarch64-apple-darwin', '--out', 'arts', '--collect', 'ci', '--', '--locked'])
  assert.deepEqual(build, { wasmTarget: undefined, cargoArgs: ['--locked'], target: 'aarch64-apple-darwin', out: 'arts', collect: 'ci', features: [], targetDir: undefined })
  assert.equal((await parse(['build', '--wasm-target', 'bundler'])).build?.wasmTarget, 'bundler')
})

test('version takes a semver or a bump', async () => {
  assert.deepEqual((await parse(['version', 'minor'])).version, { version: 'minor' })
  await assert.rejects(parse(['version']), /missing required argument/)
})

test('publish: every flag', async () => {
  const { publish } = await parse([
    'publish', '--registry', 'http://127.0.0.1:4873/', '--tag', 'next', '--access', 'public', '--dry-run', '--skip-existing', '--no-build',
  ])
  assert.deepEqual(publish, {
    registry: 'http://127.0.0.1:4873/',
    tag: 'next',
    access: 'public',
    dryRun: true,
    skipExisting: true,
    noBuild: true,
    out: undefined,
  })
  assert.equal((await parse(['publish'])).publish?.noBuild, false)
})

test('init: folder and backend', async () => {
  assert.deepEqual((await parse(['init', 'lib', '--backend', 'wasm', '--yes'])).init, { dir: 'lib', backend: 'wasm', yes: true, interactive: true })
  assert.deepEqual((await parse(['init'])).init, { dir: undefined, backend: undefined, yes: false, interactive: true })
})

test('ci github [--stdout]', async () => {
  assert.deepEqual((await parse(['ci', 'github'])).ciGithub, { stdout: false })
  assert.deepEqual((await parse(['ci', 'github', '--stdout'])).ciGithub, { stdout: true })
})

test('every declared action is reached by one command, and the API exports each under its name', async () => {
  // Each command that runs something (a leaf), given a value for each
  // required argument: together they reach every action exactly once.
  const leaves = (command: Command, path: string[]): string[][] =>
    command.commands.length === 0 ? [[...path, ...command.registeredArguments.filter((a) => a.required).map(() => 'x')]] : command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]))
  const reached = []
  for (const args of leaves(createProgram(), [])) reached.push(...Object.keys(await parse(args)))
  assert.deepEqual(reached.sort(), [...ACTION_NAMES].sort())
  for (const name of ACTION_NAMES) assert.equal(typeof (api as Record<string, unknown>)[name], 'function', `src/index.ts exports ${name}`)
})
