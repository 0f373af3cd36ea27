import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse as parseYaml } from 'yaml'
import { BUILD_MATRIX, githubWorkflow } from '../../src/workflows/github.js'
import { parse as parseArgs } from '../cli-parse.js'

type Step = { run?: string; uses?: string; with?: Record<string, unknown> }
type Job = { steps: Step[]; needs?: string | string[]; if?: string; strategy?: { matrix: { include: { platform: string; target: string; os: string }[] } } }
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> }

const workflows = {
  napi: parseYaml(githubWorkflow({ backend: 'napi', packageName: 'demo' })) as Workflow,
  koffi: parseYaml(githubWorkflow({ backend: 'koffi', packageName: 'demo' })) as Workflow,
  wasm: parseYaml(githubWorkflow({ backend: 'wasm', packageName: 'demo' })) as Workflow,
}

for (const backend of ['napi', 'koffi'] as const) {
  test(`${backend}: a build matrix of six platforms, a test job and a publish job on tags`, () => {
    const { jobs, on } = workflows[backend]
    assert.deepEqual(Object.keys(jobs), ['build', 'test', 'publish'])
    const matrix = jobs.build!.strategy!.matrix.include
    assert.deepEqual(matrix.map((e) => e.platform), ['linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'darwin-arm64', 'darwin-x64', 'win32-x64-msvc'])
    assert.deepEqual(matrix.map((e) => e.target), BUILD_MATRIX.map((e) => e.target))
    assert.ok(jobs.build!.steps.some((s) => s.run === 'npx rusty build --target ${{ matrix.target }}'))
    assert.deepEqual(jobs.test!.needs, 'build')
    assert.ok(jobs.test!.steps.some((s) => s.run === 'npm test'))
    assert.deepEqual(jobs.publish!.needs, ['build', 'test'])
    assert.equal(jobs.publish!.if, "startsWith(github.ref, 'refs/tags/v')")
    assert.deepEqual((on.push as { tags: string[] }).tags, ['v*'])
    assert.ok(jobs.publish!.steps.some((s) => s.run === 'npx rusty build --collect ci-artifacts'))
    assert.ok(jobs.publish!.steps.some((s) => s.run === 'npx rusty publish --no-build --access public'))
  })
}

test('wasm: one build job with the wasm32 target, and publish', () => {
  const { jobs } = workflows.wasm
  assert.deepEqual(Object.keys(jobs), ['build', 'publish'])
  assert.ok(jobs.build!.steps.some((s) => s.uses === 'dtolnay/rust-toolchain@stable' && s.with?.targets === 'wasm32-unknown-unknown'))
  assert.ok(jobs.build!.steps.some((s) => s.run === 'npm test'))
  assert.deepEqual(jobs.publish!.needs, ['build'])
})

test('every rusty command the workflows run is a real rusty command', async () => {
  const commands = Object.values(workflows)
    .flatMap((w) => Object.values(w.jobs))
    .flatMap((job) => job.steps)
    .map((step) => step.run)
    .filter((run): run is string => run?.startsWith('npx rusty ') === true)
  assert.ok(commands.length >= 6)
  for (const command of commands) {
    const args = command.replace('${{ matrix.target }}', 'x86_64-unknown-linux-gnu').split(' ').slice(2)
    await assert.doesNotReject(parseArgs(args), `rusty parses: ${command}`)
  }
  // The check has teeth: a made-up flag is refused.
  await assert.rejects(parseArgs(['build', '--no-such-flag']))
})
