import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'

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

/** A fresh temporary folder, removed when the process exits unless RUSTY_KEEP_TEMP is set. */
export function tempDir(prefix = 'rusty-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
  if (!process.env.RUSTY_KEEP_TEMP) process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Points a generated project's devDependency on rusty at this repository
 * (`file:`, which npm installs as a symlink) and runs `npm install`, so its
 * `rusty` binary is the rusty under test, never a same-named registry package.
 */
export async function installLocalRusty(projectDir: string): Promise<void> {
  const file = path.join(projectDir, 'package.json')
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'))
  pkg.devDependencies = { ...pkg.devDependencies, 'rusty-cli': `file:${repoRoot}` }
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2))
  await execa('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: projectDir, stdin: 'ignore' })
  const bin = path.join(projectDir, 'node_modules', '.bin', 'rusty')
  if (fs.realpathSync(bin) !== fs.realpathSync(cliPath)) throw new Error(`${bin} is not the rusty under test`)
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
