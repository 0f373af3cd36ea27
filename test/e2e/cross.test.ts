// Cross builds proven on the platforms they are for. For napi and koffi:
// `rusty new`, then `rusty build` for linux-x64-gnu (the default: it must need
// at most GLIBC_2.17), linux-arm64-gnu and linux-x64-musl, with no linker set
// up by hand; each foreign artifact collected into a clean copy of the package
// as the workflow's test job does (`rusty build --collect … --out native`),
// that platform's dependencies installed (`npm install --os --cpu --libc`),
// and the generated project's own test file run by that platform's Node. Then
// the publish path: every platform package published to a local verdaccio,
// `npm install`ed in an app for each platform and called by its own Node.
//
// The foreign Nodes and the Rust std of the foreign targets come from
// ../shared/tools/foreign-platforms.sh (a test aid: .ci/run evals its output).
// Without them this file fails: it never skips silently.
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { installProject, registryEnv, rusty, rustyRegistry, tempDir, testEnv } from '../helpers.js'

const foreign = {
  toolchain: process.env.RUSTY_CROSS_TOOLCHAIN,
  arm64Node: process.env.NODE_LINUX_ARM64,
  muslNode: process.env.NODE_LINUX_X64_MUSL,
}

/** The platforms built here besides the host's: the std comes from RUSTY_CROSS_TOOLCHAIN, the Node from the shared script. */
const platforms = [
  { platform: 'linux-arm64-gnu', target: 'aarch64-unknown-linux-gnu', cpu: 'arm64', libc: 'glibc', node: () => foreign.arm64Node! },
  { platform: 'linux-x64-musl', target: 'x86_64-unknown-linux-musl', cpu: 'x64', libc: 'musl', node: () => foreign.muslNode! },
] as const

before(() => {
  const missing = Object.entries({ RUSTY_CROSS_TOOLCHAIN: foreign.toolchain, NODE_LINUX_ARM64: foreign.arm64Node, NODE_LINUX_X64_MUSL: foreign.muslNode })
    .filter(([, value]) => !value)
    .map(([name]) => name)
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not set: run \`eval "$(../shared/tools/foreign-platforms.sh)"\` first (.ci/run does); these tests need the foreign Rust std and Nodes it installs.`)
  }
})

/**
 * Runs `command` (a foreign Node: `qemu-aarch64 …/node` or the musl wrapper)
 * with `args`; never throws. RUST_BACKTRACE=0: the template's tests make Rust
 * panic on purpose, and under qemu-user capturing the backtrace crashes the
 * emulated process (SIGSEGV after "stack backtrace:"; the panic itself is
 * caught), which says nothing about the artifact.
 */
function runForeign(command: string, args: string[], cwd: string) {
  const [file, ...prefix] = command.split(' ')
  return execa(file!, [...prefix, ...args], { cwd, env: testEnv({ RUST_BACKTRACE: '0' }), stdin: 'ignore', reject: false, all: true })
}

/** The highest GLIBC_x.y version `file` needs (objdump -T's version references). */
async function highestGlibc(file: string): Promise<string> {
  const { stdout } = await execa('objdump', ['-T', file])
  const versions = [...new Set(stdout.match(/GLIBC_\d+\.\d+(\.\d+)?/g) ?? [])].map((v) => v.slice('GLIBC_'.length))
  versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
  return versions.at(-1) ?? 'none'
}

function atMost217(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major < 2 || (major === 2 && minor <= 17)
}

/**
 * A clean copy of the package as the workflow's test job has it: the
 * sources, `dist/` and `native/` without any built library, `platform`'s
 * dependencies installed, and `artifact` put where the loader finds it by
 * `rusty build --collect … --out native`.
 */
async function testJobCopy(project: string, artifact: string, target: { cpu: string; libc: string }): Promise<string> {
  const copy = path.join(tempDir('rusty-cross-copy-'), path.basename(project))
  const skip = new Set(['node_modules', 'artifacts', '.rusty', 'target'].map((name) => name))
  fs.cpSync(project, copy, {
    recursive: true,
    filter: (source) => !skip.has(path.basename(source)) && !/\.(node|so)$/.test(source),
  })
  const installed = await execa('npm', ['install', '--no-audit', '--no-fund', '--os', 'linux', '--cpu', target.cpu, '--libc', target.libc], {
    cwd: copy,
    stdin: 'ignore',
    env: testEnv(await registryEnv()),
    reject: false,
    all: true,
  })
  assert.equal(installed.exitCode, 0, installed.all)
  const ciArtifacts = path.join(copy, 'ci-artifacts')
  fs.mkdirSync(ciArtifacts)
  fs.copyFileSync(artifact, path.join(ciArtifacts, path.basename(artifact)))
  const collected = await rusty(['build', '--collect', 'ci-artifacts', '--out', 'native'], { cwd: copy })
  assert.equal(collected.exitCode, 0, collected.all)
  return copy
}

for (const backend of ['napi', 'koffi'] as const) {
  test(`${backend}: linux-x64-gnu needs at most GLIBC_2.17; arm64-gnu and x64-musl pass the project's own tests in their own Node, and install from a registry there`, async (t) => {
    const started = Date.now()
    const lap = (what: string) => t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`)
    // The crate names of publish.test.ts: the shared target dir keeps one crate per backend.
    const scope = '@rusty-e2e'
    const name = `${scope}/${backend}-pub`
    const cwd = tempDir()
    const created = await rusty(['new', `${backend}-pub`, '--name', name, '--backend', backend, '--yes', '--no-git', '--no-install'], { cwd })
    assert.equal(created.exitCode, 0, created.all)
    const project = path.join(cwd, `${backend}-pub`)
    await installProject(project)
    const registry = await rustyRegistry()
    fs.writeFileSync(path.join(project, '.npmrc'), registry.npmrc(scope))
    lap('new + install')

    // The host's release build links against the glibc 2.17 sysroot.
    const host = await rusty(['build'], { cwd: project })
    assert.equal(host.exitCode, 0, host.all)
    const artifacts = path.join(project, 'artifacts')
    const hostArtifact = fs.readdirSync(artifacts).find((f) => f.includes('.linux-x64-gnu.'))
    assert.ok(hostArtifact, fs.readdirSync(artifacts).join(', '))
    const hostGlibc = await highestGlibc(path.join(artifacts, hostArtifact))
    assert.ok(atMost217(hostGlibc), `${hostArtifact} needs GLIBC_${hostGlibc}`)
    lap('host build')

    for (const p of platforms) {
      const built = await rusty(['build', '--target', p.target], { cwd: project, env: { RUSTUP_TOOLCHAIN: foreign.toolchain } })
      assert.equal(built.exitCode, 0, built.all)
      const file = fs.readdirSync(artifacts).find((f) => f.includes(`.${p.platform}.`))
      assert.ok(file, `no ${p.platform} artifact in ${fs.readdirSync(artifacts).join(', ')}`)
      if (p.libc === 'glibc') {
        const glibc = await highestGlibc(path.join(artifacts, file))
        assert.ok(atMost217(glibc), `${file} needs GLIBC_${glibc}`)
      }
      lap(`${p.platform} build`)

      const copy = await testJobCopy(project, path.join(artifacts, file), p)
      const tested = await runForeign(p.node(), [path.join('test', 'index.test.mjs')], copy)
      assert.equal(tested.exitCode, 0, `${p.platform} Node ran the project's tests:\n${tested.all}`)
      assert.match(tested.all, /^# pass [1-9]\d*$/m)
      assert.match(tested.all, /^# fail 0$/m)
      lap(`${p.platform} tests`)
    }

    // Every platform package, then the main package, to the registry.
    const published = await rusty(['publish', '--no-build', '--registry', registry.url], { cwd: project })
    assert.equal(published.exitCode, 0, published.all)
    for (const platform of ['linux-x64-gnu', ...platforms.map((p) => p.platform)]) {
      assert.match(published.stderr, new RegExp(`published +${name.replace('/', '\\/')}-${platform}@0\\.1\\.0`))
    }
    for (const p of platforms) {
      const app = tempDir('rusty-cross-app-')
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
      const installed = await execa('npm', ['install', '--no-audit', '--no-fund', '--os', 'linux', '--cpu', p.cpu, '--libc', p.libc, `${name}@0.1.0`], {
        cwd: app,
        stdin: 'ignore',
        env: testEnv(await registryEnv()),
        reject: false,
        all: true,
      })
      assert.equal(installed.exitCode, 0, installed.all)
      assert.ok(fs.existsSync(path.join(app, 'node_modules', ...`${name}-${p.platform}`.split('/'))), `npm installed ${name}-${p.platform}`)
      const call = `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify([m.add(2, 3), m.greet('Ferris'), process.arch]))`
      const ran = await runForeign(p.node(), ['--input-type=module', '-e', call], app)
      assert.equal(ran.exitCode, 0, ran.all)
      assert.deepEqual(JSON.parse(ran.stdout), [5, 'Hello, Ferris! (from Rust)', p.cpu])
      lap(`${p.platform} installed from the registry`)
    }
  })
}
