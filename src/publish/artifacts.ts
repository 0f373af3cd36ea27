import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArtifactName } from '../../templates/runtime/artifact-name.js'
import { BACKENDS, type BackendInfo } from '../project/backend-table.js'
import type { Artifact } from '../backends/types.js'
import { RustyError } from '../errors.js'
import type { Project } from '../project/config.js'
import { installFile } from '../util/files.js'

/** Default folder for `rusty build`'s artifacts, relative to the package root (`dist/` holds the compiled TypeScript). */
export const DEFAULT_ARTIFACTS_DIR = 'artifacts'

export type { Artifact }

/**
 * The artifacts folder of `project`: `out` (default {@link DEFAULT_ARTIFACTS_DIR})
 * resolved against the package root, as an absolute path.
 */
export function artifactsDirOf(project: Project, out?: string): string {
  return path.resolve(project.root, out ?? DEFAULT_ARTIFACTS_DIR)
}

// The extensions of the backends that build one artifact per platform
// (`node`, `so`, `dylib`, `dll`), from the table.
const PER_PLATFORM_EXTENSIONS = BACKENDS.filter((b) => b.artifacts.platform === undefined).flatMap((b) => b.artifacts.extensions)

/**
 * The artifact `file` (a name or path) is, by the one naming rule
 * (`artifactName`/`parseArtifactName` of templates/runtime/artifact-name.js) and
 * the artifact extensions of `backends` (default: every backend of the
 * table): a per-platform library named `<stem>.<platform>.<ext>` gives its
 * platform, a backend's artifact that serves every platform (`<stem>.wasm`)
 * gives that backend's platform id (`wasm32`).
 *
 * @returns undefined for any other file (`libhello.so` without a platform, `index.js`)
 */
export function parseArtifact(file: string, backends: readonly BackendInfo[] = BACKENDS): Artifact | undefined {
  const parts = parseArtifactName(path.basename(file))
  if (!parts) return undefined
  const backend = backends.find((b) => b.artifacts.extensions.includes(parts.extension))
  if (!backend) return undefined
  const platform = backend.artifacts.platform ?? parts.platform
  return platform === undefined ? undefined : { platform, file }
}

/**
 * Whether `file` (a name or path) is a per-platform compiled library by its
 * extension: a file that ships in a platform package, never in the main one.
 */
export function isPlatformBinary(file: string): boolean {
  return PER_PLATFORM_EXTENSIONS.some((ext) => file.endsWith(`.${ext}`))
}

/**
 * The artifacts in `dir` ({@link parseArtifact}), sorted by file name: of
 * `backend` only when given (a napi project's folder may still hold another
 * backend's), else of any backend. A missing folder has none.
 */
export async function listArtifacts(dir: string, backend?: BackendInfo): Promise<Artifact[]> {
  const entries = await fs.readdir(dir).catch(() => [] as string[])
  return entries.sort().flatMap((name) => parseArtifact(path.join(dir, name), backend ? [backend] : BACKENDS) ?? [])
}

/**
 * `rusty build --collect`: copies every per-platform artifact found anywhere
 * below `from` (e.g. CI's downloaded artifacts) into `out`, keeping its name.
 *
 * @returns the artifacts collected, at their place in `out`
 * @throws RustyError (exit 2) when `from` is not a folder
 */
export async function collectArtifacts(from: string, out: string): Promise<Artifact[]> {
  const stat = await fs.stat(from).catch(() => undefined)
  if (!stat?.isDirectory()) throw new RustyError(`Cannot collect artifacts from ${from}: not a folder.`, { exitCode: 2 })
  const entries = await fs.readdir(from, { recursive: true, withFileTypes: true })
  const collected: Artifact[] = []
  const perPlatform = BACKENDS.filter((b) => b.artifacts.platform === undefined)
  for (const entry of entries) {
    const artifact = entry.isFile() ? parseArtifact(path.join(out, entry.name), perPlatform) : undefined
    if (!artifact) continue
    if (path.resolve(entry.parentPath, entry.name) !== artifact.file) await installFile(path.join(entry.parentPath, entry.name), artifact.file)
    collected.push(artifact)
  }
  return collected
}

/** What `--collect` looks for, for messages: `<name>.<platform>.<node|so|dylib|dll>`. */
export const ARTIFACT_NAME_PATTERN = `<name>.<platform>.<${PER_PLATFORM_EXTENSIONS.join('|')}>`
