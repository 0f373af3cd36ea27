import fs from 'node:fs/promises'
import path from 'node:path'
import { BACKENDS } from '../project/backend-table.js'
import { RustyError } from '../errors.js'
import type { Project } from '../project/config.js'
import { installFile } from '../util/files.js'

/** Default folder for `rusty build`'s artifacts, relative to the package root (`dist/` holds the compiled TypeScript). */
export const DEFAULT_ARTIFACTS_DIR = 'artifacts'

/** A compiled library in an artifacts folder. */
export interface Artifact {
  /** napi-rs platform id, e.g. `linux-x64-gnu`, or `wasm32`. */
  platform: string
  /** Absolute path. */
  file: string
}

/**
 * The artifacts folder of `project`: `out` (default {@link DEFAULT_ARTIFACTS_DIR})
 * resolved against the package root, as an absolute path.
 */
export function artifactsDirOf(project: Project, out?: string): string {
  return path.resolve(project.root, out ?? DEFAULT_ARTIFACTS_DIR)
}

// The extensions of the backends that build one artifact per platform
// (`node`, `so`, `dylib`, `dll`), and of those whose one artifact serves
// every platform, with that platform id (`wasm` -> `wasm32`), from the table.
const PER_PLATFORM_EXTENSIONS = BACKENDS.filter((b) => b.artifacts.platform === undefined).flatMap((b) => b.artifacts.extensions)
const SHARED_ARTIFACTS = BACKENDS.flatMap((b) => (b.artifacts.platform === undefined ? [] : b.artifacts.extensions.map((ext) => ({ ext, platform: b.artifacts.platform! }))))

/**
 * `<stem>.<platform>.<ext>`: the name `rusty build` gives a per-platform
 * artifact and `--collect` accepts, with napi-rs's platform id
 * (`hello.linux-x64-gnu.node`, `libhello.darwin-arm64.dylib`).
 */
export const ARTIFACT_NAME = new RegExp(`^(.+)\\.((?:linux|darwin|win32|freebsd|android)-[a-z0-9]+(?:-[a-z0-9]+)?)\\.(${PER_PLATFORM_EXTENSIONS.join('|')})$`)

/**
 * Whether `file` (a name or path) is a per-platform compiled library by its
 * extension: a file that ships in a platform package, never in the main one.
 */
export function isPlatformBinary(file: string): boolean {
  return PER_PLATFORM_EXTENSIONS.some((ext) => file.endsWith(`.${ext}`))
}

/**
 * The per-platform artifacts in `dir` (named as {@link ARTIFACT_NAME}),
 * sorted by file name: what platform packages are made of. A missing folder has none.
 */
export async function listPlatformArtifacts(dir: string): Promise<Artifact[]> {
  return (await listArtifacts(dir)).filter((artifact) => ARTIFACT_NAME.test(path.basename(artifact.file)))
}

/**
 * Every artifact in `dir`, sorted by file name: the per-platform ones (their
 * platform from the name) and the shared ones (`<stem>.wasm` counts as
 * `wasm32`). A missing folder has none.
 */
export async function listArtifacts(dir: string): Promise<Artifact[]> {
  const entries = await fs.readdir(dir).catch(() => [] as string[])
  return entries.sort().flatMap((name) => {
    const m = ARTIFACT_NAME.exec(name)
    if (m) return [{ platform: m[2]!, file: path.join(dir, name) }]
    const shared = SHARED_ARTIFACTS.find(({ ext }) => name.endsWith(`.${ext}`))
    if (shared) return [{ platform: shared.platform, file: path.join(dir, name) }]
    return []
  })
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
  for (const entry of entries) {
    const m = entry.isFile() ? ARTIFACT_NAME.exec(entry.name) : null
    if (!m) continue
    const dest = path.join(out, entry.name)
    if (path.resolve(entry.parentPath, entry.name) !== dest) await installFile(path.join(entry.parentPath, entry.name), dest)
    collected.push({ platform: m[2]!, file: dest })
  }
  return collected
}

/** What `--collect` looks for, for messages: `<name>.<platform>.<node|so|dylib|dll>`. */
export const ARTIFACT_NAME_PATTERN = `<name>.<platform>.<${PER_PLATFORM_EXTENSIONS.join('|')}>`
