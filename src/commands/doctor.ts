import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { execa } from 'execa'
import semver from 'semver'
import { BACKENDS } from '../project/backend-table.js'
import { CARGO_INSTALL_HINT } from '../util/cargo.js'
import { projectPackageManager } from '../util/package-manager.js'
import { versions } from '../versions.js'
import { cacheDir } from '../backends/wasm/toolchain.js'
import { rustStdDir } from '../util/rust-std.js'

/** One line of `rusty doctor`'s report. */
export interface DoctorCheck {
  /** What was checked, e.g. `cargo`. */
  name: string
  /** Whether it is usable. */
  ok: boolean
  /** What was found (a version) or what is wrong. */
  detail: string
  /** How to fix it, when not ok. */
  fix?: string
  /** Only some backends need it (a failure then does not fail the whole report). */
  neededBy?: string
}

/** Options of {@link doctor}. */
export interface DoctorOptions {
  /** Folder whose project (and node_modules) the checks look at. Default: process.cwd(). */
  cwd?: string
  /** Environment to check with (RUSTUP_TOOLCHAIN, PATH, ...). Default: process.env. */
  env?: NodeJS.ProcessEnv
  /** Print the report (default true). */
  print?: boolean
}

/**
 * `rusty doctor`: checks every tool rusty relies on and prints one line each,
 * with the fix for what is missing: Node.js (in `versions.node`), npm, cargo, rustc,
 * then what the backends' capabilities in the table ask for: each Rust
 * target a backend builds for (`rustTarget`: wasm32), each CLI rusty builds
 * at its Cargo.lock version (`lockedClis`: wasm-bindgen) and each npm
 * package a binding loads with (`runtimePackages`: koffi).
 *
 * @returns the checks; `ok` is false when a tool every backend needs is missing
 */
export async function doctor(options: DoctorOptions = {}): Promise<{ ok: boolean; checks: DoctorCheck[] }> {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const version = async (command: string, args: string[]) => {
    const result = await execa(command, args, { env, cwd, reject: false })
    return result.failed ? undefined : result.stdout.trim().split('\n')[0]
  }
  const checks: DoctorCheck[] = []

  const nodeOk = semver.satisfies(process.version, versions.node)
  checks.push({
    name: 'node',
    ok: nodeOk,
    detail: process.version,
    fix: nodeOk ? undefined : `Install a Node.js in ${versions.node}: the tools a project builds with (@napi-rs/cli, @napi-rs/cross-toolchain) need it.`,
  })
  const npm = await version('npm', ['--version'])
  checks.push({ name: 'npm', ok: Boolean(npm), detail: npm ?? 'not found on PATH', fix: npm ? undefined : 'npm comes with Node.js; reinstall Node.js.' })
  const cargo = await version(env.CARGO ?? 'cargo', ['--version'])
  checks.push({ name: 'cargo', ok: Boolean(cargo), detail: cargo ?? 'not found on PATH', fix: cargo ? undefined : CARGO_INSTALL_HINT })
  const rustc = await version(env.RUSTC ?? 'rustc', ['--version'])
  checks.push({ name: 'rustc', ok: Boolean(rustc), detail: rustc ?? 'not found on PATH', fix: rustc ? undefined : CARGO_INSTALL_HINT })

  const sysroot = rustc ? await version(env.RUSTC ?? 'rustc', ['--print', 'sysroot']) : undefined
  for (const { name: neededBy, rustTarget } of BACKENDS) {
    if (rustTarget === undefined) continue
    const installed = sysroot !== undefined && fs.existsSync(rustStdDir(sysroot, rustTarget))
    checks.push({
      name: `${rustTarget} target`,
      ok: installed,
      detail: installed ? `installed${env.RUSTUP_TOOLCHAIN ? ` (toolchain ${env.RUSTUP_TOOLCHAIN})` : ''}` : 'not installed',
      fix: installed ? undefined : `rustup target add ${rustTarget}`,
      neededBy,
    })
  }

  for (const { name: neededBy, lockedClis = [] } of BACKENDS) {
    for (const cli of lockedClis) {
      const onPath = await version(cli, ['--version'])
      const cachedDir = path.join(cacheDir(env), cli)
      const cached = fs.existsSync(cachedDir) ? fs.readdirSync(cachedDir).filter((v) => fs.existsSync(path.join(cachedDir, v, 'bin'))) : []
      checks.push({
        name: `${cli} CLI`,
        ok: true,
        detail: [onPath ? `${onPath} on PATH` : undefined, cached.length ? `cached: ${cached.join(', ')}` : undefined].filter(Boolean).join('; ') ||
          'none yet: `rusty develop` builds the version Cargo.lock asks for, once',
        neededBy,
      })
    }
  }

  for (const { name: neededBy, runtimePackages = [] } of BACKENDS) {
    for (const pkg of runtimePackages) {
      const installed = installedVersion(pkg, cwd)
      checks.push({
        name: pkg,
        ok: Boolean(installed),
        detail: installed ? `${pkg} ${installed}` : `not installed in ${cwd}`,
        fix: installed ? undefined : `${projectPackageManager(cwd).format('add', [pkg])} (a ${neededBy} project lists it in its dependencies)`,
        neededBy,
      })
    }
  }

  if (options.print !== false) {
    for (const check of checks) {
      const mark = check.ok ? '✔' : check.neededBy ? '▲' : '✖'
      const scope = check.neededBy ? ` (${check.neededBy} backend)` : ''
      process.stdout.write(`${mark} ${check.name}${scope}: ${check.detail}${check.fix ? `\n    fix: ${check.fix}` : ''}\n`)
    }
  }
  const ok = checks.every((check) => check.ok || check.neededBy !== undefined)
  if (!ok) process.exitCode = 1
  return { ok, checks }
}

/** The version of the npm package `name` installed for `cwd` (Node's resolution from there), or undefined. */
function installedVersion(name: string, cwd: string): string | undefined {
  try {
    // A package's "exports" may hide its package.json; find it above its entry point.
    let dir = path.dirname(createRequire(path.join(cwd, 'package.json')).resolve(name))
    while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return undefined
  }
}
