// `<pm> create rusty` with each package manager a user may have besides npm
// (npm's is in new-user.test.ts): pnpm, Yarn 1, Yarn 4 (Plug'n'Play by
// default) and Bun, for napi and koffi. create-rusty and rusty-cli come from
// the local registry (test/helpers.ts), every other package through it; each
// package manager is itself an npm package (pnpm, yarn, @yarnpkg/cli-dist,
// bun), installed once into ~/.cache/rusty-tests. Then the "Next:" line rusty
// printed is run exactly as printed, and the project's own tests must pass.
// Everything runs on the lowest Node rusty supports (test/runtimes.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { registryEnv, tempDir, testEnv } from '../helpers.js'
import { NODE_FLOOR, nodeBin } from '../runtimes.js'

/** Each package manager: the npm package that holds it, and the file to run as its command. */
const PACKAGE_MANAGERS = {
  pnpm: { spec: 'pnpm@12', command: 'pnpm', bin: ['pnpm', 'bin', 'pnpm.mjs'] },
  'yarn 1': { spec: 'yarn@1.22.22', command: 'yarn', bin: ['yarn', 'bin', 'yarn.js'] },
  'yarn 4': { spec: '@yarnpkg/cli-dist@4', command: 'yarn', bin: ['@yarnpkg', 'cli-dist', 'bin', 'yarn.js'] },
  bun: { spec: 'bun@1', command: 'bun', bin: ['bun', 'bin', 'bun.exe'] },
} as const
type PackageManagerName = keyof typeof PACKAGE_MANAGERS

const cache = path.join(os.homedir(), '.cache', 'rusty-tests', 'package-managers')

/** The package managers installed (once) into one cache folder with npm; the folder. */
async function installPackageManagers(): Promise<string> {
  const want = Object.values(PACKAGE_MANAGERS).map((pm) => pm.spec)
  const stamp = path.join(cache, 'installed.json')
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === JSON.stringify(want)) return cache
  fs.rmSync(cache, { recursive: true, force: true })
  fs.mkdirSync(cache, { recursive: true })
  fs.writeFileSync(path.join(cache, 'package.json'), '{ "private": true }\n')
  // Aliases: yarn 1 and yarn 4 are both `yarn`; each gets its own folder name.
  const aliases = Object.values(PACKAGE_MANAGERS).map((pm) => `${pm.bin[0] === '@yarnpkg' ? '@yarnpkg/cli-dist' : pm.bin[0]}@npm:${pm.spec}`)
  const installed = await execa('npm', ['install', '--no-audit', '--no-fund', ...aliases], { cwd: cache, stdin: 'ignore', reject: false, all: true })
  assert.equal(installed.exitCode, 0, installed.all)
  fs.writeFileSync(stamp, JSON.stringify(want))
  return cache
}

const homes: Partial<Record<PackageManagerName, string>> = {}

/**
 * The environment in which `pm` is the package manager a user typed: a PATH
 * folder with its command first, the local registry in each one's own
 * setting, and its caches and global folders in fresh temporary folders.
 */
async function envFor(pm: PackageManagerName): Promise<Record<string, string | undefined>> {
  const { command, bin } = PACKAGE_MANAGERS[pm]
  const binDir = tempDir('rusty-pm-bin-')
  const target = path.join(cache, 'node_modules', ...bin)
  const launcher = target.endsWith('.exe') ? `exec ${JSON.stringify(target)} "$@"` : `exec node ${JSON.stringify(target)} "$@"`
  fs.writeFileSync(path.join(binDir, command), `#!/bin/sh\n${launcher}\n`, { mode: 0o755 })
  const registry = (await registryEnv()).npm_config_registry!
  // One home per package manager, shared by its napi and koffi projects: the second install reuses the first's cache.
  const home = (homes[pm] ??= tempDir('rusty-pm-home-'))
  // A user's npmrc: newer pnpm reads the registry from there, not from npm_config_registry.
  const npmrc = path.join(home, '.npmrc')
  fs.writeFileSync(npmrc, `registry=${registry}\n`)
  return {
    npm_config_userconfig: npmrc,
    // On the lowest Node rusty supports: Yarn 1 refuses a project's install on a Node its packages' `engines` exclude.
    PATH: [binDir, await nodeBin(NODE_FLOOR), process.env.PATH].join(path.delimiter),
    npm_config_registry: registry,
    // Yarn 1 hands its own `registry` setting (the yarnpkg default) to the processes it starts.
    YARN_REGISTRY: registry,
    // Yarn 2+ has its own settings, and refuses plain http to any host it is not told of.
    YARN_NPM_REGISTRY_SERVER: registry,
    YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
    YARN_ENABLE_TELEMETRY: '0',
    // Yarn 4 holds back versions published less than a day ago; this registry's rusty-cli is minutes old.
    YARN_NPM_MINIMAL_AGE_GATE: '0',
    YARN_ENABLE_GLOBAL_CACHE: '0',
    // A CI environment makes Yarn 2+ refuse to write a lockfile; a user's terminal is not CI.
    CI: undefined,
    YARN_GLOBAL_FOLDER: path.join(home, 'yarn-global'),
    YARN_CACHE_FOLDER: path.join(home, 'yarn-cache'),
    npm_config_prefix: path.join(home, 'prefix'),
    npm_config_store_dir: path.join(home, 'pnpm-store'),
    BUN_INSTALL_CACHE_DIR: path.join(home, 'bun-cache'),
    npm_config_user_agent: undefined,
  }
}

/** A shell line run as a user types it (the line is the thing under test). */
function sh(line: string, cwd: string, env: Record<string, string | undefined>) {
  return execa('bash', ['-c', line], { cwd, env: testEnv(env), extendEnv: true, stdin: 'ignore', reject: false, all: true })
}

for (const pm of Object.keys(PACKAGE_MANAGERS) as PackageManagerName[]) {
  for (const backend of ['napi', 'koffi'] as const) {
    test(`${pm} create rusty (${backend}), then the printed steps`, async () => {
      await installPackageManagers()
      const env = await envFor(pm)
      const cwd = tempDir(`rusty-${pm.replace(' ', '')}-${backend}-`)
      const command = PACKAGE_MANAGERS[pm].command
      const created = await sh(`${command} create rusty demo --backend ${backend} --yes`, cwd, env)
      assert.equal(created.exitCode, 0, created.all)
      const next = /Next: (.+)$/m.exec(created.all)?.[1]
      assert.ok(next, `no Next: line in\n${created.all}`)
      // The files this package manager needs (src/project/package-manager-files.ts).
      if (pm === 'yarn 4') assert.match(fs.readFileSync(path.join(cwd, 'demo', '.yarnrc.yml'), 'utf8'), /^nodeLinker: node-modules$/m)
      if (pm === 'pnpm' && backend === 'koffi') assert.match(fs.readFileSync(path.join(cwd, 'demo', 'pnpm-workspace.yaml'), 'utf8'), /^allowBuilds:\n {2}koffi: true$/m)
      // Printed in this package manager's words.
      assert.match(next, new RegExp(`^cd demo && ${command} `))
      const steps = await sh(next, cwd, env)
      assert.equal(steps.exitCode, 0, `${next}\n${steps.all}`)
      assert.match(steps.all, /^(#|ℹ) fail 0$/m)
      assert.match(steps.all, /^(#|ℹ) pass [1-9]/m)
    })
  }
}
