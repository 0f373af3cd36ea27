import childProcess from 'node:child_process'
import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import path from 'node:path'
import { runCargoBuild } from '../../util/cargo.js'
import { environmentOf, factsOf, hashKey, isFileFacts, isRecord, isRecordOf, isStringArray, readStampFile, sameFacts, writeStampFile, type FileFacts } from '../../util/stamp.js'
import { secretsIn, secretsOf } from '../../util/secrets.js'
import { rustyVersion } from '../../util/rusty-version.js'
import type { BackendBuild, BuildOptions } from '../types.js'

/** The cargo command napi-rs ran: its arguments, and the variables it added to rusty's environment. */
export interface CargoInvocation {
  args: string[]
  env: Record<string, string>
  /** NAPI_TYPE_DEF_TMP_FOLDER as cargo got it, where napi-derive writes the type definitions. */
  typeDefFolder?: string
}

/**
 * `.rusty/napi-stamp.json`: what the last full napi-rs build of `rusty
 * develop` ran and installed, so the next develop can run the same cargo
 * command itself and stop when nothing changed.
 */
interface NapiStamp {
  /** sha256 of the develop options, rusty's version and the environment that napi-rs's choices depend on (never their values). */
  key: string
  /** Files whose change makes napi-rs choose differently (manifests, cargo config, package.json, @napi-rs/cli). */
  inputs: Record<string, FileFacts>
  cargo: CargoInvocation
  /** cargo's cdylib (`target/<triple>/debug/lib<name>.so`) as it was installed. */
  library: string
  libraryFacts: FileFacts
  /** sha256 over napi-derive's intermediate type definitions (NAPI_TYPE_DEF_TMP_FOLDER). */
  typeDefs: string
  /** The `.node` file in native/ and the others napi-rs wrote (typings, loader). */
  node: string
  outputs: Record<string, FileFacts>
  platform: string
}

/**
 * Whether a parsed stamp has every field of {@link NapiStamp} with its type:
 * the fast path runs cargo with the recorded arguments and environment, so
 * a damaged stamp must never get that far.
 */
function isNapiStamp(stamp: Record<string, unknown>): boolean {
  const { cargo } = stamp
  const isString = (value: unknown): value is string => typeof value === 'string'
  return (
    ['key', 'library', 'typeDefs', 'node', 'platform'].every((field) => typeof stamp[field] === 'string') &&
    isRecordOf(stamp.inputs, isFileFacts) &&
    isRecordOf(stamp.outputs, isFileFacts) &&
    isFileFacts(stamp.libraryFacts) &&
    isRecord(cargo) &&
    isStringArray(cargo.args) &&
    isRecordOf(cargo.env, isString) &&
    (cargo.typeDefFolder === undefined || typeof cargo.typeDefFolder === 'string')
  )
}


/** The stamp's file in the project's state folder. */
export function napiStampFile(options: BuildOptions): string {
  return path.join(options.project.stateDir, 'napi-stamp.json')
}

/**
 * The develop without napi-rs, when a stamp from a full napi-rs build is
 * still valid (same options, environment and input files): runs the cargo
 * command napi-rs ran, with the variables it set (NAPI_TYPE_DEF_TMP_FOLDER,
 * ...), so cargo's freshness is the same as under napi-rs. Then:
 *
 * - cargo reports the cdylib `fresh`, it has the size and mtime it had when it
 *   was installed, and every file in native/ still has the size and mtime it
 *   was installed with: nothing to do (`up-to-date`);
 * - otherwise, when napi-derive's intermediate type definitions are what they
 *   were (the exported API did not change) and the typings and loader are
 *   untouched, only the `.node` is out of date: it is the one output, and
 *   the stamp is brought up to date once the pipeline placed it;
 * - anything else returns undefined: the caller runs napi-rs's full build
 *   (typings, loader), whose cargo run is then a no-op.
 *
 * Sizes and mtimes, not bytes: a debug `.node` is 14 MiB.
 *
 * @returns the build (no outputs when up to date, else the `.node`), or undefined when napi-rs must build
 * @throws RustyError when cargo fails (native/ is left as it was)
 */
export async function tryFastPath(options: BuildOptions, stampFile: string): Promise<BackendBuild | undefined> {
  const { project } = options
  // Written by writeNapiStamp; one from another path (a copied project) or damaged is stale.
  const stamp = readStampFile<NapiStamp>(stampFile, isNapiStamp)
  if (!stamp || stamp.key !== (await stampKey(options))) return undefined
  const inputs = await factsOf(inputFiles(options, Object.keys(stamp.inputs)))
  if (!inputs || !sameFacts(inputs, stamp.inputs)) return undefined

  options.reporter.handOff(`Building ${path.relative(project.root, project.crateDir) || '.'} with cargo (${options.release ? 'release' : 'dev'} profile)`)
  const env = { ...process.env, ...stamp.cargo.env }
  const output = await runCargoBuild(stamp.cargo.args, { manifestPath: project.manifestPath, cwd: project.root, env })
  const library = output.cdylibFiles.find((file) => /\.(so|dylib|dll)$/.test(file))
  if (!library || library !== stamp.library) return undefined

  const files = Object.keys(stamp.outputs)
  const native = path.dirname(stamp.node)
  const libraryFile = path.basename(stamp.node)
  const build: BackendBuild = {
    outputs: [],
    files: files.map((file) => path.relative(native, file)),
    library: libraryFile,
    artifactName: libraryFile,
    platform: stamp.platform,
    loadsInNode: true,
  }
  const [libraryFacts, outputs] = [await factsOf([library]), await factsOf(files)]
  const others = files.filter((file) => file !== stamp.node)
  const othersFacts = await factsOf(others)
  if (!libraryFacts || !othersFacts || !sameFacts(othersFacts, pick(stamp.outputs, others))) return undefined
  if (output.fresh && outputs && sameFacts(outputs, stamp.outputs) && sameFacts(libraryFacts, { [library]: stamp.libraryFacts })) return build

  if ((await hashTypeDefs(stamp.cargo.typeDefFolder)) !== stamp.typeDefs) return undefined
  // Copied unread (a debug .node is 14 MiB): cargo and the stamp already said it changed.
  await fs.rm(stampFile, { force: true })
  return {
    ...build,
    outputs: [{ dest: libraryFile, role: 'library', source: { file: library }, unchecked: true }],
    afterCommit: async (placed) => {
      const installed = await factsOf([library, placed(libraryFile)])
      if (!installed) return
      stamp.libraryFacts = installed[library]!
      stamp.outputs[stamp.node] = installed[placed(libraryFile)]!
      await writeStampFile(stampFile, stamp)
    },
  }
}

/**
 * Records a full napi-rs build for {@link tryFastPath}: the cargo command it
 * ran, cargo's cdylib and the files it installed in native/ (the `.node`
 * first), as they are now. Writes nothing (and removes an old stamp) when the
 * cargo command was not seen or the type definitions cannot be read.
 */
export async function writeNapiStamp(
  options: BuildOptions,
  stampFile: string,
  record: { cargo: CargoInvocation | undefined; napiCliPackageJson: string; node: string; files: string[]; platform: string },
): Promise<void> {
  await fs.rm(stampFile, { force: true })
  if (!record.cargo) return
  // The recorded command holds only what napi-rs added to the environment
  // (its own paths and flags); should that ever carry a credential (a token
  // in RUSTFLAGS, a URL with a password), no stamp is written and the next
  // develop goes through napi-rs again.
  // Raw values, not JSON: JSON escapes a `"` or `\` inside a token, which would then not match.
  const recorded = [...record.cargo.args, ...Object.values(record.cargo.env)].join('\n')
  if (secretsIn(recorded, secretsOf()).length > 0 || /:\/\/[^\s/@]+@/.test(recorded)) return
  const { project } = options
  // The same cargo command again, as the next develop will run it: it must be
  // a no-op now, or the captured environment does not reproduce napi-rs's
  // and a stamp would only cost rebuilds. It also names cargo's cdylib. After
  // a first build (napi-rs forced it with NAPI_FORCE_BUILD_<crate>) the build
  // script runs once more without that variable, as under napi-rs next time.
  const check = async () =>
    runCargoBuild(record.cargo!.args, { manifestPath: project.manifestPath, cwd: project.root, env: { ...process.env, ...record.cargo!.env } })
  let checked = await check()
  if (!checked.fresh) checked = await check()
  const library = checked.cdylibFiles.find((file) => /\.(so|dylib|dll)$/.test(file))
  if (!checked.fresh || !library) return
  const inputs = await factsOf(inputFiles(options, [record.napiCliPackageJson]))
  const libraryFacts = await factsOf([library])
  const outputs = await factsOf(record.files)
  const typeDefs = await hashTypeDefs(record.cargo.typeDefFolder)
  if (!inputs || !libraryFacts || !outputs || typeDefs === undefined) return
  const stamp: NapiStamp = {
    key: await stampKey(options),
    inputs,
    cargo: record.cargo,
    library,
    libraryFacts: libraryFacts[library]!,
    typeDefs,
    node: record.node,
    outputs,
    platform: record.platform,
  }
  await writeStampFile(stampFile, stamp)
}

/**
 * Runs `work` (a napi-rs build) and returns the `cargo build` command it
 * spawned. napi-rs starts cargo with child_process.spawn and an environment
 * of its own making (napi-rs `Builder.setEnvs`: NAPI_TYPE_DEF_TMP_FOLDER,
 * RUSTFLAGS for --strip, a linker); rusty sees it by wrapping spawn for the
 * duration, through Node's documented `module.syncBuiltinESMExports()`, which
 * carries the wrapper to ES-module imports of `node:child_process` too.
 */
export async function captureCargoInvocation<T>(work: () => Promise<T>): Promise<{ result: T; cargo: CargoInvocation | undefined }> {
  const original = childProcess.spawn
  let cargo: CargoInvocation | undefined
  const wrapper = function (this: unknown, ...call: unknown[]) {
    const [, args, spawnOptions] = call as [string, unknown, childProcess.SpawnOptions | undefined]
    if (Array.isArray(args) && args[0] === 'build' && spawnOptions?.env && cargo === undefined) {
      const env: Record<string, string> = {}
      for (const [name, value] of Object.entries(spawnOptions.env)) {
        // NAPI_FORCE_BUILD_<crate> (a timestamp) is set only while napi-derive's
        // type definitions are missing, to force one rebuild; napi-rs's later
        // runs, and so rusty's, go without it.
        if (value !== undefined && process.env[name] !== value && !name.startsWith('NAPI_FORCE_BUILD_')) env[name] = value
      }
      cargo = { args: args.map(String), env, typeDefFolder: spawnOptions.env.NAPI_TYPE_DEF_TMP_FOLDER }
    }
    return (original as (...a: unknown[]) => unknown).apply(this, call)
  }
  childProcess.spawn = wrapper as typeof childProcess.spawn
  syncBuiltinESMExports()
  try {
    return { result: await work(), cargo }
  } finally {
    childProcess.spawn = original
    syncBuiltinESMExports()
  }
}

/**
 * Everything a stamp is only valid for, as a sha256 ({@link hashKey}): rusty's
 * version, the develop options, and the environment variables napi-rs reads
 * or passes to cargo (CARGO*, RUST*, NAPI_*, the C toolchain's CC/CXX/AR and
 * TARGET_*). Only the digest is stored: CARGO_REGISTRY_TOKEN is one of them.
 */
async function stampKey(options: BuildOptions): Promise<string> {
  return hashKey({
    rusty: rustyVersion(),
    release: options.release,
    features: options.features,
    targetDir: options.targetDir,
    cargoArgs: options.cargoArgs,
    env: environmentOf((name) => /^(CARGO|RUST|NAPI_|TARGET_|CC$|CXX$|AR$)/.test(name)),
  })
}

/**
 * The files a stamp depends on that exist now: package.json, the installed
 * @napi-rs/cli's package.json (`known` keeps the path recorded at the last
 * full build), and in the crate's folder, the package root and every folder
 * above them: Cargo.toml, Cargo.lock, `.cargo/config.toml`, `.cargo/config`,
 * `rust-toolchain`, `rust-toolchain.toml`.
 */
function inputFiles(options: BuildOptions, known: string[]): string[] {
  const { project } = options
  const files = new Set<string>([project.packageJsonPath])
  for (const file of known) if (file.includes(`${path.sep}@napi-rs${path.sep}cli${path.sep}`)) files.add(file)
  const names = ['Cargo.toml', 'Cargo.lock', path.join('.cargo', 'config.toml'), path.join('.cargo', 'config'), 'rust-toolchain', 'rust-toolchain.toml']
  for (const start of [project.crateDir, project.root]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      for (const name of names) {
        const file = path.join(dir, name)
        if (!files.has(file) && existsSync(file)) files.add(file)
      }
      if (path.dirname(dir) === dir) break
    }
  }
  return [...files].sort()
}

/** sha256 over the names and bytes of the files in napi-derive's type-definition folder; undefined when it cannot be read. */
async function hashTypeDefs(folder: string | undefined): Promise<string | undefined> {
  if (!folder) return undefined
  const names = await fs.readdir(folder).catch(() => undefined)
  if (!names || names.length === 0) return undefined
  // Imported here: a no-op develop hashes nothing, and loading node:crypto costs ~2.5 ms.
  const { createHash } = await import('node:crypto')
  const hash = createHash('sha256')
  for (const name of names.sort()) {
    hash.update(`${name}\0`)
    hash.update(await fs.readFile(path.join(folder, name)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

function pick(record: Record<string, FileFacts>, keys: string[]): Record<string, FileFacts> {
  return Object.fromEntries(keys.map((key) => [key, record[key]!]))
}
