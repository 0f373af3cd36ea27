import fs from 'node:fs/promises'
import path from 'node:path'
import { loadBackend, resolveWasmTarget } from '../backends/index.js'
import { RustyError } from '../errors.js'
import { findProject } from '../project/config.js'
import { acquireBuildLock } from '../project/lock.js'
import { compileTypeScript } from '../project/typescript.js'
import { assertProjectTools, projectTools } from '../project/tools.js'
import { installFile } from '../util/files.js'
import { createReporter, type Reporter } from '../util/reporter.js'

/** Default folder for `rusty build`'s artifacts, relative to the package root (`dist/` holds the compiled TypeScript). */
export const DEFAULT_ARTIFACTS_DIR = 'artifacts'

/** Options of {@link build}. */
export interface BuildCommandOptions {
  /** Any folder inside the project. Default: process.cwd(). */
  cwd?: string
  /** Target triple for cargo (`--target`); default: the host. */
  target?: string
  /** Artifacts folder, relative to the package root. Default: `artifacts`. */
  out?: string
  /** Instead of building, copy artifacts built elsewhere (found anywhere below this folder) into the artifacts folder. */
  collect?: string
  features?: string[]
  cargoArgs?: string[]
  targetDir?: string
  /** wasm: the output target; default: package.json `"rusty".wasmTarget`, else `universal`. */
  wasmTarget?: string
  reporter?: Reporter
}

/** A platform artifact in the artifacts folder. */
export interface Artifact {
  /** napi-rs platform id, e.g. `linux-x64-gnu`, or `wasm32`. */
  platform: string
  /** Absolute path. */
  file: string
}

/** What {@link build} produced or collected. */
export interface BuildCommandResult {
  /** Absolute path of the artifacts folder. */
  out: string
  /** Every artifact now in it. */
  artifacts: Artifact[]
}

// `<stem>.<platform>.<ext>`: what `rusty build` writes and `--collect` accepts.
const ARTIFACT_NAME = /^(.+)\.((?:linux|darwin|win32|freebsd|android)-[a-z0-9]+(?:-[a-z0-9]+)?)\.(node|so|dylib|dll)$/

/**
 * `rusty build`: a release build of the crate for the host or `target`,
 * stripped, into the artifacts folder, named by platform
 * (`<name>.linux-x64-gnu.node` for napi, `lib<name>.linux-x64-gnu.so` for
 * koffi, `<name>.wasm` for wasm, whose module also stays in native/ as part
 * of the package). The loader and typings in `native/` and the compiled
 * TypeScript in `dist/` are refreshed too. With `collect`, artifacts built
 * elsewhere (e.g. by CI on other platforms) are copied into the same layout.
 *
 * @throws RustyError when the build fails, or `collect` finds no artifact
 */
export async function build(options: BuildCommandOptions = {}): Promise<BuildCommandResult> {
  const reporter = options.reporter ?? createReporter()
  const project = findProject(options.cwd ?? process.cwd())
  const out = path.resolve(project.root, options.out ?? DEFAULT_ARTIFACTS_DIR)
  await fs.mkdir(out, { recursive: true })

  if (options.collect !== undefined) {
    const from = path.resolve(options.cwd ?? process.cwd(), options.collect)
    const found = await collectArtifacts(from, out)
    if (found.length === 0) throw new RustyError(`No artifacts named <name>.<platform>.<node|so|dylib|dll> below ${from}.`)
    for (const artifact of found) reporter.done(`Collected ${path.basename(artifact.file)} (${artifact.platform})`)
    return { out, artifacts: await listArtifacts(out) }
  }

  const backend = await loadBackend(project.config.backend)
  const wasmTarget = resolveWasmTarget(backend, project, options.wasmTarget)
  assertProjectTools(project.root, projectTools(project, backend))
  const release = await acquireBuildLock(project, reporter)
  try {
    const result = await backend.build({
      project,
      release: true,
      features: options.features ?? [],
      targetDir: options.targetDir === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), options.targetDir),
      cargoArgs: options.cargoArgs ?? [],
      reporter,
      target: options.target,
      artifactsDir: out,
      wasmTarget,
    })
    reporter.start('Compiling the TypeScript wrapper')
    const ts = await compileTypeScript(project)
    reporter.done(ts.compiled ? 'Compiled the TypeScript wrapper' : 'TypeScript wrapper up to date')
    reporter.done(`Built ${path.relative(project.root, result.artifact)} (${result.platform}, release)`)
  } finally {
    await release()
  }
  return { out, artifacts: await listArtifacts(out) }
}

/** The platform artifacts in `dir` (napi and koffi naming; wasm modules count as `wasm32`). */
export async function listArtifacts(dir: string): Promise<Artifact[]> {
  const entries = await fs.readdir(dir).catch(() => [] as string[])
  return entries.sort().flatMap((name) => {
    const m = ARTIFACT_NAME.exec(name)
    if (m) return [{ platform: m[2]!, file: path.join(dir, name) }]
    if (name.endsWith('.wasm')) return [{ platform: 'wasm32', file: path.join(dir, name) }]
    return []
  })
}

async function collectArtifacts(from: string, out: string): Promise<Artifact[]> {
  const stat = await fs.stat(from).catch(() => undefined)
  if (!stat?.isDirectory()) throw new RustyError(`Cannot collect artifacts from ${from}: not a folder.`, { exitCode: 2 })
  const entries = await fs.readdir(from, { recursive: true, withFileTypes: true })
  const collected: Artifact[] = []
  for (const entry of entries) {
    const m = entry.isFile() ? ARTIFACT_NAME.exec(entry.name) : null
    if (!m) continue
    const dest = path.join(out, entry.name)
    if (path.resolve(entry.parentPath, entry.name) !== dest) await installFile(path.join(entry.parentPath, entry.name), dest)
    collected.push({ platform: m[2]!, file: dest })
  }
  return collected
}
