import fs from 'node:fs/promises'
import path from 'node:path'
import { prepareBuild } from '../pipeline/context.js'
import { commandScope } from '../project/scope.js'
import { buildArtifact } from '../pipeline/run.js'
import { RustyError } from '../errors.js'
import { ARTIFACT_NAME_PATTERN, artifactsDirOf, collectArtifacts, listArtifacts, type Artifact } from '../publish/artifacts.js'
import type { CargoOptions } from '../util/cargo.js'
import type { Reporter } from '../util/reporter.js'

/**
 * Options of {@link build}: the cargo options ({@link CargoOptions}, each
 * optional; `targetDir` relative to `cwd`; always the release profile) and
 * where the artifacts go.
 */
export interface BuildCommandOptions extends Partial<Omit<CargoOptions, 'release'>> {
  /** Any folder inside the project. Default: process.cwd(). */
  cwd?: string
  /** Artifacts folder, relative to the package root. Default: `artifacts`. */
  out?: string
  /** Instead of building, copy artifacts built elsewhere (found anywhere below this folder) into the artifacts folder. */
  collect?: string
  /** The wasm target; default: package.json `"rusty".wasmTarget`, else `universal`. */
  wasmTarget?: string
  reporter?: Reporter
}

/** What {@link build} produced or collected. */
export interface BuildCommandResult {
  /** Absolute path of the artifacts folder. */
  out: string
  /** Every artifact now in it. */
  artifacts: Artifact[]
}

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
  const scope = commandScope(options)
  const out = artifactsDirOf(scope.project, options.out)
  await fs.mkdir(out, { recursive: true })

  if (options.collect !== undefined) {
    const from = path.resolve(scope.cwd, options.collect)
    const found = await collectArtifacts(from, out)
    if (found.length === 0) throw new RustyError(`No artifacts named ${ARTIFACT_NAME_PATTERN} below ${from}.`)
    for (const artifact of found) scope.reporter.done(`Collected ${path.basename(artifact.file)} (${artifact.platform})`)
    return { out, artifacts: await listArtifacts(out) }
  }

  const context = await prepareBuild(scope, {
    release: true,
    features: options.features,
    targetDir: options.targetDir,
    cargoArgs: options.cargoArgs,
    target: options.target,
    mode: { kind: 'artifact', dir: out },
    wasmTarget: options.wasmTarget,
  })
  await buildArtifact(context)
  return { out, artifacts: await listArtifacts(out) }
}

