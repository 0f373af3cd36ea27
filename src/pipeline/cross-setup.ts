import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { RustyError } from '../errors.js'
import { PROJECT_TOOLS } from '../project/tools.js'
import type { Reporter } from '../util/reporter.js'
import { projectPackageManager } from '../util/package-manager.js'
import { rustStdDir } from '../util/rust-std.js'
import type { CrossBuild, CrossPlan } from '../backends/cross-build.js'
import { crossToolchainPackage, gnuToolchainEnv } from './cross.js'
// execa and zlib load with this module, which only release builds for a
// Linux target import (never `rusty develop`).
import { execa } from 'execa'
import { gunzipSync } from 'node:zlib'

/** Runs a command and returns its stdout, or undefined when it cannot start or exits non-zero. Injectable for tests. */
export type ProbeCommand = (file: string, args: string[], env: NodeJS.ProcessEnv) => Promise<string | undefined>

const probe: ProbeCommand = async (file, args, env) => {
  const result = await execa(file, args, { env, extendEnv: false, reject: false, stdin: 'ignore' })
  return result.exitCode === 0 ? String(result.stdout) : undefined
}

/**
 * Makes `plan` ready for a build of the project at `root`: checks that the
 * Rust standard library of the target is installed, then unpacks the gnu
 * cross toolchain (once per machine) or checks that cargo-zigbuild and zig run.
 *
 * @throws RustyError with `rustup target add <triple>` when the std is
 *   missing; naming `@napi-rs/cross-toolchain` when it is not installed in the
 *   project; with the `pip install ziglang cargo-zigbuild` line when
 *   cargo-zigbuild or zig is missing; when the toolchain cannot be fetched
 */
export async function prepareCross(plan: CrossPlan, root: string, reporter: Reporter, env: NodeJS.ProcessEnv = process.env, run: ProbeCommand = probe): Promise<CrossBuild> {
  await assertRustStd(plan.triple, env, run)
  if (plan.kind === 'zig') {
    await assertZigbuild(env, run)
    return { plan, env: {} }
  }
  const toolchainDir = await ensureGnuToolchain(plan, root, reporter)
  return { plan, env: gnuToolchainEnv(toolchainDir, plan.triple, env), toolchainDir }
}

/**
 * Checks that the Rust toolchain cargo will use (rustup honours
 * RUSTUP_TOOLCHAIN and rust-toolchain files, so rustc is asked, not rustup)
 * has the standard library of `triple`: `<rustc --print sysroot>/lib/rustlib/<triple>/lib`.
 *
 * @throws RustyError with the exact `rustup target add <triple>` fix
 */
export async function assertRustStd(triple: string, env: NodeJS.ProcessEnv = process.env, run: ProbeCommand = probe): Promise<void> {
  const sysroot = (await run('rustc', ['--print', 'sysroot'], env))?.trim()
  // No rustc: cargo's own error (with rustup's hint) comes next, one line.
  if (!sysroot) return
  if (fs.existsSync(rustStdDir(sysroot, triple))) return
  throw new RustyError(`The Rust standard library for ${triple} is not installed in the toolchain at ${sysroot}.`, {
    hint: `Run \`rustup target add ${triple}\`.`,
  })
}

/**
 * The line that installs cargo-zigbuild and zig. Both are on PyPI
 * (cargo-zigbuild finds zig through `python3 -m ziglang`), but the system
 * Python of current Debian and Ubuntu refuses `pip install` outside a
 * virtualenv (PEP 668), so cargo's own install comes first.
 */
export const ZIGBUILD_INSTALL_HINT =
  'Run `cargo install --locked cargo-zigbuild` and put zig on PATH (a zig release, or `pip install ziglang` in an active virtualenv); where pip may install (a virtualenv, CI\'s setup-python), `pip install ziglang cargo-zigbuild` does both.'

/**
 * Checks that `cargo zigbuild` can run: the cargo-zigbuild subcommand, and
 * zig where cargo-zigbuild looks for it (`CARGO_ZIGBUILD_ZIG_PATH`, `zig` on
 * PATH, then `python3 -m ziglang`; cargo-zigbuild's README, "Installation").
 *
 * @throws RustyError with {@link ZIGBUILD_INSTALL_HINT} naming what is missing
 */
export async function assertZigbuild(env: NodeJS.ProcessEnv = process.env, run: ProbeCommand = probe): Promise<void> {
  const missing: string[] = []
  if ((await run('cargo-zigbuild', ['--version'], env)) === undefined) missing.push('cargo-zigbuild')
  const zig = env.CARGO_ZIGBUILD_ZIG_PATH
    ? await run(env.CARGO_ZIGBUILD_ZIG_PATH, ['version'], env)
    : ((await run('zig', ['version'], env)) ?? (await run(process.platform === 'win32' ? 'python' : 'python3', ['-m', 'ziglang', 'version'], env)))
  if (zig === undefined) missing.push('zig')
  if (missing.length === 0) return
  throw new RustyError(`A musl target is built with cargo zigbuild, and ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed.`, { hint: ZIGBUILD_INSTALL_HINT })
}

/**
 * The folder napi-rs unpacks its cross toolchain into
 * (`~/.napi-rs/cross-toolchain/<@napi-rs/cross-toolchain version>/<triple>`,
 * @napi-rs/cli `pickCrossToolchain`), shared so that a machine that did a
 * napi build does not unpack it again, and so that napi-rs's
 * `--use-napi-cross` finds the one rusty unpacked.
 */
export function gnuToolchainDir(version: string, triple: string, home = os.homedir()): string {
  return path.join(home, '.napi-rs', 'cross-toolchain', version, triple)
}

/**
 * The project's `@napi-rs/cross-toolchain` (a koffi project's
 * devDependency; a napi project has it through @napi-rs/cli): its
 * package.json path and version. The copy @napi-rs/cli resolves comes
 * first, so a napi build's `useNapiCross` finds the toolchain in the folder
 * of the version it loads.
 *
 * @throws RustyError naming the devDependency to install
 */
export function findCrossToolchainPackage(root: string): { packageJson: string; version: string } {
  const name = '@napi-rs/cross-toolchain'
  for (const from of [path.join(root, 'node_modules', '@napi-rs', 'cli', 'package.json'), path.join(root, 'package.json')]) {
    try {
      const packageJson = createRequire(from).resolve(`${name}/package.json`)
      return { packageJson, version: (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version }
    } catch {
      // Next place.
    }
  }
  throw new RustyError(`${name} is not installed in ${root}; a release build for Linux links with its cross toolchain (glibc 2.17 sysroot).`, {
    hint: `Run \`${projectPackageManager(root).format('add', ['-D', `${name}@${PROJECT_TOOLS[name]}`])}\`.`,
  })
}

/**
 * The unpacked gnu cross toolchain of `plan`, fetched once per machine: the
 * toolchain package (`@napi-rs/cross-toolchain-<host>-target-<arch>`, a
 * 45 MB npm package holding `<triple>.tar.xz`) is fetched with `npm pack`
 * from the registry npm is configured with, then decompressed with the
 * project's `@napi-rs/cross-toolchain` dependencies (`@napi-rs/lzma`,
 * `@napi-rs/tar`) into a scratch folder renamed into place, so an
 * interrupted unpack is never taken for a toolchain.
 *
 * The version asked is the newest toolchain package of the same major not
 * newer than the project's @napi-rs/cross-toolchain: napi-rs publishes a
 * target package only when it changes (1.0.5's index asks for
 * `-target-aarch64@1.0.5`, but the registry has 1.0.3 as the newest), so
 * its own `download()`, which asks for the exact version, fails.
 *
 * @throws RustyError when the package is not installed, or npm cannot fetch the toolchain
 */
export async function ensureGnuToolchain(plan: Extract<CrossPlan, { kind: 'gnu' }>, root: string, reporter: Reporter): Promise<string> {
  const meta = findCrossToolchainPackage(root)
  const dir = gnuToolchainDir(meta.version, plan.triple)
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir
  const name = crossToolchainPackage(plan)
  const major = meta.version.split('.')[0]
  const spec = `${name}@>=${major}.0.0 <=${meta.version}`
  reporter.start(`Fetching the ${plan.triple} cross toolchain (${name}, about 45 MB, once per machine)`)
  await fs.promises.mkdir(path.dirname(dir), { recursive: true })
  const scratch = await fs.promises.mkdtemp(`${dir}.partial-`)
  try {
    const packed = await execa('npm', ['pack', spec, '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: scratch, stdin: 'ignore', reject: false, all: true })
    if (packed.exitCode !== 0) {
      throw new RustyError(`npm could not fetch ${spec} (the ${plan.triple} cross toolchain): ${String(packed.all).trim().split('\n').at(-1)}`, {
        hint: 'Check the connection to the npm registry (`npm config get registry`), then run the build again.',
      })
    }
    const tarball = path.join(scratch, (JSON.parse(String(packed.stdout)) as { filename: string }[])[0]!.filename)
    const outer = path.join(scratch, 'package-files')
    await unpackTarball(meta.packageJson, tarball, 'gzip', outer, root)
    await fs.promises.rm(tarball)
    const unpacked = path.join(scratch, 'toolchain')
    await unpackTarball(meta.packageJson, path.join(outer, 'package', `${plan.triple}.tar.xz`), 'xz', unpacked, root)
    if (!fs.existsSync(path.join(unpacked, 'bin', `${plan.triple}-gcc`))) {
      throw new RustyError(`${name} holds no ${plan.triple}-gcc; it is not the toolchain rusty expects.`, { hint: `Report this with the version of @napi-rs/cross-toolchain (${meta.version}).` })
    }
    try {
      await fs.promises.rename(unpacked, dir)
    } catch (error) {
      // Another build unpacked it meanwhile: use that one.
      if (fs.existsSync(path.join(dir, 'package.json'))) return dir
      // A folder without package.json is an unpack that was cut short (napi-rs makes the folder before it unpacks): replace it.
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error
      await fs.promises.rm(dir, { recursive: true, force: true })
      await fs.promises.rename(unpacked, dir)
    }
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true })
  }
  reporter.done(`Unpacked the ${plan.triple} cross toolchain into ${dir}`)
  return dir
}

/**
 * Unpacks the tarball `file` (gzip- or xz-compressed) into `dest` with the
 * libraries @napi-rs/cross-toolchain itself uses (`@napi-rs/tar`,
 * `@napi-rs/lzma`, resolved from where it is installed). Their native
 * bindings come as optional dependencies, which npm sometimes leaves out
 * (npm/cli#4828; measured here: @napi-rs/lzma-linux-x64-gnu was skipped on
 * an install whose lockfile lists it): then the system's tar does it (GNU tar
 * with xz, as every Linux distribution this path runs on has).
 *
 * @param from the package.json of the installed @napi-rs/cross-toolchain
 * @param root the project's folder (its package manager names the reinstall in the hint)
 * @throws RustyError when neither can unpack it
 */
async function unpackTarball(from: string, file: string, compression: 'gzip' | 'xz', dest: string, root: string): Promise<void> {
  try {
    const requireFromToolchain = createRequire(from)
    const { Archive } = requireFromToolchain('@napi-rs/tar') as typeof import('@napi-rs/tar')
    const data = await fs.promises.readFile(file)
    const tar = compression === 'gzip' ? gunzipSync(data) : (requireFromToolchain('@napi-rs/lzma') as typeof import('@napi-rs/lzma')).xz.decompressSync(data)
    new Archive(tar).unpack(dest)
    return
  } catch {
    // A missing native binding: the system's tar below.
  }
  await fs.promises.mkdir(dest, { recursive: true })
  const result = await execa('tar', [compression === 'gzip' ? '-xzf' : '-xJf', file, '-C', dest], { stdin: 'ignore', reject: false, all: true })
  if (result.exitCode !== 0) {
    throw new RustyError(`Cannot unpack ${path.basename(file)}: @napi-rs/${compression === 'gzip' ? 'tar' : 'lzma'} has no native binding here, and tar failed: ${String(result.all).trim().split('\n').at(-1)}`, {
      hint: `Reinstall the project's dependencies (\`rm -rf node_modules && ${projectPackageManager(root).format('install')}\`), or install xz (\`apt-get install xz-utils\`).`,
    })
  }
}
