import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { publishToRegistry, startRegistry, type TestRegistry } from './registry.js'

/** The rusty repository under test. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url))
/** The built CLI (`npm test` builds dist/ first). */
export const cliPath = path.join(repoRoot, 'bin', 'rusty.js')

/**
 * One cargo target dir for every e2e test and run, so cargo compiles the
 * dependencies (napi, ...) once per machine, not once per test. Override with
 * RUSTY_TEST_TARGET_DIR.
 */
export const sharedTargetDir =
  process.env.RUSTY_TEST_TARGET_DIR ?? path.join(os.homedir(), '.cache', 'rusty-tests', 'target')

/**
 * Environment for processes the tests start: the shared cargo target dir, no
 * colours, and without NODE_TEST_CONTEXT, which node's test runner sets for
 * test files and which would make a generated project's own `node --test`
 * skip its files.
 */
export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { CARGO_TARGET_DIR: sharedTargetDir, NO_COLOR: '1', NODE_TEST_CONTEXT: undefined, ...extra }
}

/**
 * Runs the built CLI as a user would (`node bin/rusty.js ...`), with stdin
 * closed (no TTY) and the shared cargo target dir. Never throws on a non-zero
 * exit: tests check `exitCode`, `stdout`, `stderr`.
 */
export function rusty(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }) {
  return execa(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    env: testEnv(options.env),
    stdin: 'ignore',
    reject: false,
    all: true,
  })
}

// Every temporary folder of this process, removed by one exit listener.
const tempDirs: string[] = []

/** A fresh temporary folder, removed when the process exits unless RUSTY_KEEP_TEMP is set. */
export function tempDir(prefix = 'rusty-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
  if (!process.env.RUSTY_KEEP_TEMP) {
    if (tempDirs.length === 0) process.on('exit', () => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
    tempDirs.push(dir)
  }
  return dir
}

/** A temporary folder (see {@link tempDir}) holding `files`: relative path → text. */
export function tempFolderWith(files: Record<string, string>): string {
  const dir = tempDir()
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
  return dir
}

let localRegistry: Promise<TestRegistry> | undefined

/**
 * The npm registry the tests install from, as users install from npmjs.com:
 * verdaccio on 127.0.0.1 proxying the registry npm is configured with
 * (`npm config get registry`), with this rusty-cli (built dist/, packed) and
 * create-rusty published to it. Started once per test process, on first use.
 */
export function rustyRegistry(): Promise<TestRegistry> {
  localRegistry ??= (async () => {
    const { stdout: uplink } = await execa('npm', ['config', 'get', 'registry'], { stdin: 'ignore' })
    const registry = await startRegistry({ uplink: uplink.trim(), unref: true })
    // dist/ is built by `npm test` already; packing skips the `prepare` rebuild.
    await publishToRegistry(registry, repoRoot, { ignoreScripts: true })
    await publishToRegistry(registry, path.join(repoRoot, 'create-rusty'))
    return registry
  })()
  return localRegistry
}

/** Environment for npm (and rusty, which runs it) so that every package resolves through {@link rustyRegistry}. */
export async function registryEnv(): Promise<Record<string, string>> {
  return { npm_config_registry: (await rustyRegistry()).url }
}

/**
 * Installs a generated project's dependencies with `npm install` from
 * {@link rustyRegistry}, as a user does after `rusty new --no-install`: its
 * devDependency `rusty-cli` is then the rusty under test, resolved from a
 * registry (never rewritten to a `file:` link).
 */
export async function installProject(projectDir: string): Promise<void> {
  await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: projectDir, stdin: 'ignore', env: testEnv(await registryEnv()) })
  const installed = JSON.parse(fs.readFileSync(path.join(projectDir, 'node_modules', 'rusty-cli', 'package.json'), 'utf8'))
  const ours = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
  if (installed.version !== ours.version) throw new Error(`${projectDir} installed rusty-cli ${installed.version}, not the one under test (${ours.version})`)
}

/**
 * Runs an ES module snippet with Node in `cwd` (with `nodeArgs` before it)
 * and returns its stdout parsed as JSON (the snippet must print exactly one
 * JSON value). Throws, with Node's stderr, when Node exits non-zero.
 */
export async function runNode(cwd: string, code: string, nodeArgs: string[] = []): Promise<unknown> {
  const { stdout } = await execa(process.execPath, [...nodeArgs, '--input-type=module', '-e', code], { cwd, stdin: 'ignore' })
  return JSON.parse(stdout)
}

/** Every file below `dir` (relative paths, `/`-separated, sorted); [] when it does not exist. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

/**
 * Runs a generated project's own `npm test` (which runs `rusty develop`, then
 * `node --test`) and checks that it passed `passes` tests and failed none.
 */
export async function assertProjectTestsPass(projectDir: string, passes: number, env: Record<string, string | undefined> = {}): Promise<void> {
  const result = await execa('npm', ['test'], { cwd: projectDir, env: testEnv(env), stdin: 'ignore', reject: false, all: true })
  if (result.exitCode !== 0) throw new Error(`npm test failed (exit ${result.exitCode}):\n${result.all}`)
  if (!new RegExp(`^# pass ${passes}$`, 'm').test(result.all) || !/^# fail 0$/m.test(result.all)) {
    throw new Error(`npm test did not pass ${passes} tests:\n${result.all}`)
  }
}

/**
 * A PATH holding only `node` (a folder with a link to this Node binary), for
 * tests of a machine without cargo: Node's own folder may hold cargo too
 * (e.g. /usr/bin with Debian's cargo packages).
 */
export function pathWithOnlyNode(): string {
  const dir = tempDir('rusty-path-')
  fs.symlinkSync(process.execPath, path.join(dir, 'node'))
  return dir
}

/** The executables of a Rust toolchain (rustup's proxies and Debian's packages), which {@link pathWithoutRust} leaves out. */
export const RUST_TOOLS = /^(cargo|rustc|rustup|rustdoc|rustfmt|rust-analyzer|rust-gdb|rust-gdbgui|rust-lldb|rls|clippy-driver|cargo-.+)$/

/**
 * A PATH with every program of this PATH except a Rust toolchain: one
 * folder of links to each executable of each PATH folder (the first one of
 * a name wins, as a shell's lookup does), minus {@link RUST_TOOLS}. For
 * tests of a machine with Node, npm, git and bash but no Rust.
 */
export function pathWithoutRust(pathVar = process.env.PATH ?? ''): string {
  const dir = tempDir('rusty-path-')
  const seen = new Set<string>()
  for (const folder of pathVar.split(path.delimiter).filter(Boolean)) {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (seen.has(entry.name) || RUST_TOOLS.test(entry.name)) continue
      const file = path.join(folder, entry.name)
      try {
        fs.accessSync(file, fs.constants.X_OK)
        if (!fs.statSync(file).isFile()) continue
      } catch {
        continue
      }
      seen.add(entry.name)
      fs.symlinkSync(file, path.join(dir, entry.name))
    }
  }
  return dir
}
