// One resolved build (src/project/scope.ts, src/pipeline/context.ts,
// src/pipeline/run.ts): what develop, build and publish resolve once and then run.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { likelyTargetDir, prepareBuild, type BuildContext } from '../../src/pipeline/context.js'
import { commandScope } from '../../src/project/scope.js'
import { buildArtifact, runBuild } from '../../src/pipeline/run.js'
import type { Backend, BuildOptions } from '../../src/backends/index.js'
import type { Reporter } from '../../src/util/reporter.js'
import { tempDir } from '../helpers.js'
import { THREAD_SOURCE, compileSharedObject } from '../elf-fixtures.js'

/** A reporter that keeps every line. */
function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = []
  const keep = (message: string) => void lines.push(message)
  return { lines, start: keep, done: keep, handOff: keep, info: keep, warn: keep }
}

/** A project folder on disk: package.json with a "rusty" block and an (empty) crate. */
function makeProject(rusty: Record<string, unknown>): string {
  const root = tempDir('rusty-context-')
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'demo', version: '0.1.0', rusty: { crate: 'rust', ...rusty } }))
  fs.mkdirSync(path.join(root, 'rust', 'src'), { recursive: true })
  fs.writeFileSync(path.join(root, 'rust', 'Cargo.toml'), '[package]\nname = "demo"\n')
  return root
}

test('commandScope finds the project once, from any folder inside it', () => {
  const root = makeProject({ backend: 'koffi' })
  const scope = commandScope({ cwd: path.join(root, 'rust', 'src') })
  assert.equal(scope.cwd, path.join(root, 'rust', 'src'))
  assert.equal(scope.project.root, root)
  assert.equal(scope.backendInfo.name, 'koffi')
  assert.equal(typeof scope.reporter.done, 'function')
  assert.throws(() => commandScope({ cwd: tempDir() }), /Not inside a rusty project/)
})

test('prepareBuild: defaults, paths against cwd, the backend loaded', async () => {
  const root = makeProject({ backend: 'koffi' })
  const cwd = path.join(root, 'rust')
  const plain = await prepareBuild(commandScope({ cwd }), { mode: { kind: 'develop' } })
  assert.equal(plain.release, false)
  assert.deepEqual(plain.features, [])
  assert.deepEqual(plain.cargoArgs, [])
  assert.equal(plain.targetDir, undefined, 'cargo decides (CARGO_TARGET_DIR or <crate>/target)')
  assert.equal(plain.target, undefined)
  assert.deepEqual(plain.mode, { kind: 'develop' })
  assert.equal(plain.incremental, true, 'develop builds from stamps')
  assert.equal(plain.wasmTarget, undefined)
  assert.equal(plain.backend.name, 'koffi')
  assert.equal(typeof plain.backend.build, 'function')

  const full = await prepareBuild(commandScope({ cwd }), {
    release: true,
    features: ['a'],
    targetDir: 't',
    cargoArgs: ['--locked'],
    target: 'aarch64-apple-darwin',
    mode: { kind: 'artifact', dir: path.join(root, 'artifacts') },
  })
  assert.equal(full.incremental, false, 'an artifact build keeps stamps of its own')
  assert.equal(full.targetDir, path.join(cwd, 't'), '--target-dir is relative to where rusty runs')
  assert.deepEqual([full.release, full.features, full.cargoArgs, full.target], [true, ['a'], ['--locked'], 'aarch64-apple-darwin'])
})

test('prepareBuild checks the wasm target against the backend before anything runs', async () => {
  const wasm = makeProject({ backend: 'wasm', wasmTarget: 'web' })
  assert.equal((await prepareBuild(commandScope({ cwd: wasm }), { mode: { kind: 'develop' } })).wasmTarget, 'web')
  assert.equal((await prepareBuild(commandScope({ cwd: wasm }), { mode: { kind: 'develop' }, wasmTarget: 'bundler' })).wasmTarget, 'bundler')
  await assert.rejects(prepareBuild(commandScope({ cwd: wasm }), { mode: { kind: 'develop' }, wasmTarget: 'deno' }), { message: 'Unknown --wasm-target "deno": use one of universal, nodejs, web, bundler.', exitCode: 2 })
  const napi = makeProject({ backend: 'napi' })
  await assert.rejects(prepareBuild(commandScope({ cwd: napi }), { mode: { kind: 'develop' }, wasmTarget: 'web' }), {
    message: '--wasm-target applies to the wasm backend only; this project uses napi.',
    exitCode: 2,
  })
})

test('likelyTargetDir: --target-dir, else CARGO_TARGET_DIR (relative to the package root, where cargo runs), else <crate>/target', () => {
  const project = { root: '/p', crateDir: '/p/rust' } as BuildContext['project']
  assert.equal(likelyTargetDir({ project, targetDir: '/t' }, {}), '/t')
  assert.equal(likelyTargetDir({ project, targetDir: undefined }, { CARGO_TARGET_DIR: 'out' }), path.resolve('/p/out'))
  assert.equal(likelyTargetDir({ project, targetDir: undefined }, { CARGO_TARGET_DIR: '/abs' }), path.resolve('/abs'))
  assert.equal(likelyTargetDir({ project, targetDir: undefined }, {}), path.join('/p/rust', 'target'))
})

/** A shared object linked here that needs nothing newer than glibc 2.17 (no libc call: only __cxa_finalize@GLIBC_2.2.5). */
const withinFloor = compileSharedObject('plain', 'int answer(void) { return 42; }\n')

/**
 * A context whose backend is a fake that records what it was asked and
 * "builds" `demo.linux-x64-gnu.node`, a copy of `library`, which the
 * pipeline places in native/ (or the artifacts folder).
 */
async function fakeContext(root: string, reporter: Reporter, calls: BuildOptions[], artifactsDir?: string, library = withinFloor): Promise<BuildContext> {
  const scope = { ...commandScope({ cwd: root }), reporter }
  const context = await prepareBuild(scope, { release: artifactsDir !== undefined, mode: artifactsDir === undefined ? { kind: 'develop' } : { kind: 'artifact', dir: artifactsDir } })
  const backend: Backend = {
    ...context.backend,
    buildTools: [],
    build: async (options) => {
      calls.push(options)
      // The build lock is held while the backend builds.
      assert.ok(fs.existsSync(path.join(root, '.rusty')), 'the state folder exists')
      const name = 'demo.linux-x64-gnu.node'
      return { outputs: [{ dest: name, role: 'library', source: { file: library } }], files: [name], library: name, artifactName: name, platform: 'linux-x64-gnu', loadsInNode: false }
    },
  }
  return { ...context, backend }
}

test('runBuild: the backend gets the context; no tsconfig skips TypeScript; apps are linked; the project is unlocked', async () => {
  const root = makeProject({ backend: 'napi' })
  const app = tempDir('rusty-app-')
  const reporter = recorder()
  const calls: BuildOptions[] = []
  const context = await fakeContext(root, reporter, calls)
  const run = await runBuild({ ...context, cwd: path.dirname(app) }, { into: [path.basename(app)] })
  assert.equal(calls.length, 1)
  assert.equal(calls[0]!.project.root, root)
  assert.equal(run.build.artifact, path.join(root, 'native', 'demo.linux-x64-gnu.node'))
  assert.equal(run.typescript.compiled, false)
  assert.ok(reporter.lines.includes('No tsconfig.json: skipped TypeScript'), reporter.lines.join('\n'))
  assert.deepEqual(run.links, [path.join(app, 'node_modules', 'demo')])
  assert.equal(fs.realpathSync(run.links[0]!), root)
  assert.ok(run.durationMs >= 0)
  // Released: a second run takes the lock at once.
  await runBuild(context)
  assert.equal(calls.length, 2)
})

test('runBuild unlocks the project when the backend fails, and a missing build tool stops it before the backend runs', async () => {
  const root = makeProject({ backend: 'napi' })
  const reporter = recorder()
  const calls: BuildOptions[] = []
  const context = await fakeContext(root, reporter, calls)
  const failing = { ...context, backend: { ...context.backend, build: async () => Promise.reject(new Error('cargo failed')) } }
  await assert.rejects(runBuild(failing), /cargo failed/)
  await runBuild(context)
  assert.equal(calls.length, 1)
  const needsTool = { ...context, backend: { ...context.backend, buildTools: ['@napi-rs/cli' as const] } }
  await assert.rejects(runBuild(needsTool), /@napi-rs\/cli is not installed/)
  assert.equal(calls.length, 1)
})

test('buildArtifact creates the artifacts folder and reports the artifact with its platform', async () => {
  const root = makeProject({ backend: 'napi' })
  const reporter = recorder()
  const out = path.join(root, 'artifacts')
  // A macOS target: no Linux cross toolchain is prepared for the fake backend (withCross: test/unit/cross.test.ts).
  const context = { ...(await fakeContext(root, reporter, [], out)), target: 'aarch64-apple-darwin' }
  const artifact = await buildArtifact(context)
  assert.deepEqual(artifact, { platform: 'linux-x64-gnu', file: path.join(out, 'demo.linux-x64-gnu.node') })
  const kb = Math.round(fs.statSync(artifact.file).size / 1024)
  assert.equal(reporter.lines.at(-1), `Built artifacts/demo.linux-x64-gnu.node (linux-x64-gnu, release, ${kb} KB)`)
})

test('buildArtifact refuses a linux-gnu artifact above the glibc floor in one line, and leaves no such artifact in artifacts/', async () => {
  const root = makeProject({ backend: 'napi' })
  const reporter = recorder()
  const out = path.join(root, 'artifacts')
  // Linked here (glibc 2.36), with no floor: pthread_create@GLIBC_2.34.
  const tooNew = compileSharedObject('threads', THREAD_SOURCE)
  // A macOS target, so withCross prepares no Linux toolchain for the fake backend; the check goes by the artifact's platform.
  const context = { ...(await fakeContext(root, reporter, [], out, tooNew)), target: 'aarch64-apple-darwin' }
  const error = await buildArtifact(context).then(
    () => assert.fail('accepted'),
    (e: unknown) => e as { message: string; hint: string; exitCode: number; name: string },
  )
  assert.equal(error.name, 'RustyError')
  assert.equal(error.exitCode, 1, 'not the "this is a bug" exit')
  assert.equal(error.message, 'artifacts/demo.linux-x64-gnu.node needs GLIBC_2.34 (pthread_create, pthread_join), above the glibc floor 2.17 (at most GLIBC_2.17): it would not load on older Linux systems.')
  assert.match(error.hint, /Build it with `rusty build` on Linux x64 or arm64 for x86_64\/aarch64, whose cross toolchain links against the floor's glibc/)
  assert.match(error.hint, /"rusty": \{ "glibc": "2\.34" \}/)
  assert.deepEqual(fs.readdirSync(out), [], 'the refused artifact was removed')
  assert.ok(!reporter.lines.some((line) => line.startsWith('Built ')))

  // With the floor raised to what it needs, the same artifact is accepted.
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  pkg.rusty.glibc = '2.34'
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg))
  const raised = { ...(await fakeContext(root, reporter, [], out, tooNew)), target: 'aarch64-apple-darwin' }
  await buildArtifact(raised)
  assert.deepEqual(fs.readdirSync(out), ['demo.linux-x64-gnu.node'])
})

test('the "glibc" setting: default 2.17, major.minor, else a usage error naming the field', () => {
  assert.equal(commandScope({ cwd: makeProject({ backend: 'koffi' }) }).project.config.glibc, '2.17')
  assert.equal(commandScope({ cwd: makeProject({ backend: 'koffi', glibc: '2.28' }) }).project.config.glibc, '2.28')
  assert.throws(
    () => commandScope({ cwd: makeProject({ backend: 'koffi', glibc: '2.12' }) }),
    (error: { name: string; exitCode: number; message: string; hint: string }) =>
      error.exitCode === 2 && error.message.includes('"glibc" is 2.12, below 2.17') && error.hint.includes('"glibc": "2.17"'),
  )
  for (const bad of ['2', '2.28.1', 'latest', 2.28, '']) {
    assert.throws(
      () => commandScope({ cwd: makeProject({ backend: 'koffi', glibc: bad }) }),
      (error: { name: string; exitCode: number; message: string }) =>
        error.name === 'RustyError' &&
        error.exitCode === 2 &&
        error.message.includes(`"glibc" must be a glibc version as major.minor, e.g. "2.17" or "2.28" (found ${JSON.stringify(bad)})`),
    )
  }
})
