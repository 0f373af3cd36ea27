// Plays a GitHub Actions runner for the generated workflow's linux-x64-gnu
// entry: a project made with `rusty new` and committed as a user would, a fresh
// clone per job, the build job's steps with Rust, then the test job's steps
// with no cargo or rustc on PATH, artifacts passed through a folder.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { pathWithoutRust, repoRoot, rusty, sharedTargetDir, tempDir } from '../helpers.js'
import { publishToRegistry, startRegistry, type TestRegistry } from '../registry.js'
import { runJob, type StepReport } from '../workflow-runner.js'

const backends = ['napi', 'koffi'] as const
let registry: TestRegistry
/** The committed project of each backend, set up once, both at the same time (npm is mostly waiting). */
const projects = new Map<(typeof backends)[number], { root: string; project: string; setup: string }>()

before(async () => {
  const { stdout: upstream } = await execa('npm', ['config', 'get', 'registry'], { stdin: 'ignore' })
  registry = await startRegistry({ uplink: upstream.trim() })
  // The rusty under test, as the generated projects' devDependency rusty-cli.
  await publishToRegistry(registry, repoRoot)
  await Promise.all(backends.map(async (backend) => projects.set(backend, await userSetUp(backend))))
})

after(() => registry?.stop())

/**
 * A user's set-up after the README: `rusty new`, the registry in .npmrc,
 * `npm install`, then one commit with the lockfile.
 */
async function userSetUp(backend: (typeof backends)[number]): Promise<{ root: string; project: string; setup: string }> {
  const started = Date.now()
  const root = tempDir(`rusty-workflow-${backend}-`)
  const project = path.join(root, `wf-${backend}`)
  const npmrc = path.join(root, 'user.npmrc')
  fs.writeFileSync(npmrc, registry.npmrcAll())
  const npmConfig = { npm_config_userconfig: npmrc }
  const created = await rusty(['new', project, '--backend', backend, '--yes', '--no-git'], { cwd: root, env: npmConfig })
  if (created.exitCode !== 0) throw new Error(`rusty new failed:\n${created.all}`)
  fs.writeFileSync(path.join(project, '.npmrc'), registry.npmrcAll())
  // `npm install`, not `npm ci`: the npm mirror here lacks some optional
  // platform packages, which can make `npm ci` fail for that reason alone.
  await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: project, stdin: 'ignore', env: npmConfig })
  if (!fs.existsSync(path.join(project, 'package-lock.json'))) throw new Error('npm install wrote no package-lock.json')
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: project, stdin: 'ignore' })
  await git('init', '--quiet')
  await git('add', '-A')
  await git('commit', '--quiet', '-m', 'new project')
  return { root, project, setup: `${((Date.now() - started) / 1000).toFixed(1)} s` }
}

// What every job's processes see: this machine's tools, no inherited CI or test-runner settings.
function jobEnv(pathVar: string): Record<string, string | undefined> {
  return { PATH: pathVar, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LANG: process.env.LANG, NO_COLOR: '1' }
}

function timings(steps: StepReport[]): string {
  return steps.filter((s) => s.ms > 0).map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s`).join(', ')
}

for (const backend of backends) {
  test(`${backend}: the workflow's linux-x64-gnu build and test jobs pass, the test job without Rust`, async (t) => {
    const { root, project, setup } = projects.get(backend)!
    t.diagnostic(`set-up (with the other backend's): ${setup}`)
    const workflow = path.join(project, '.github', 'workflows', 'rusty.yml')
    const artifacts = path.join(root, 'artifacts')
    const matrix = { platform: 'linux-x64-gnu' }

    const build = await runJob({
      workflow,
      job: 'build',
      matrix,
      repository: project,
      workspace: path.join(root, 'build'),
      artifacts,
      // The shared target dir: the release build reuses the dependencies other tests compiled.
      env: { ...jobEnv(process.env.PATH ?? ''), CARGO_TARGET_DIR: sharedTargetDir, CARGO_HOME: process.env.CARGO_HOME, RUSTUP_HOME: process.env.RUSTUP_HOME },
    })
    t.diagnostic(`build: ${timings(build)}`)
    assert.ok(build.some((s) => s.status === 'ran' && s.name === 'Release build'), JSON.stringify(build.map((s) => [s.name, s.status])))
    assert.ok(fs.readdirSync(path.join(artifacts, 'bindings-linux-x64-gnu')).some((f) => f.includes('.linux-x64-gnu.')))
    assert.ok(fs.existsSync(path.join(artifacts, 'package-files', 'native', 'index.js')))

    const noRust = pathWithoutRust()
    const which = await execa('bash', ['--noprofile', '--norc', '-c', 'command -v cargo || command -v rustc || command -v rustup'], { env: { PATH: noRust }, extendEnv: false, stdin: 'ignore', reject: false })
    assert.notEqual(which.exitCode, 0, `Rust on the test job's PATH: ${which.stdout}`)
    const workspace = path.join(root, 'test')
    const tested = await runJob({ workflow, job: 'test', matrix, repository: project, workspace, artifacts, env: jobEnv(noRust) })
    t.diagnostic(`test: ${timings(tested)}`)
    const testStep = tested.find((s) => s.status === 'ran' && s.name === 'Test')
    assert.ok(testStep, JSON.stringify(tested.map((s) => [s.name, s.status])))
    assert.match(testStep.output ?? '', /^# pass [1-9]\d*$/m)
    assert.match(testStep.output ?? '', /^# fail 0$/m)
    // What it loaded is the build job's artifact: this clone never built anything.
    assert.ok(fs.readdirSync(path.join(workspace, 'native')).some((f) => f.includes('.linux-x64-gnu.')))
    assert.ok(!fs.existsSync(path.join(workspace, '.rusty', 'napi')) && !fs.existsSync(path.join(workspace, 'rust', 'target')))
    assert.ok(tested.some((s) => s.status === 'skipped' && /musl/.test(s.name)), 'the musl test step is skipped for linux-x64-gnu')
  })
}
