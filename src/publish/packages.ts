import fs from 'node:fs/promises'
import path from 'node:path'
import { RustyError } from '../errors.js'
import type { Project } from '../project/config.js'
import { isPlatformBinary, type Artifact } from './artifacts.js'
import { cargoTargetDirIn, forbiddenReason, packedFiles, type OutputFolders } from './guards.js'

/**
 * One npm package ready to publish from `dir`: the main package, or the
 * platform package of one platform (napi-rs's id, `linux-x64-gnu`).
 */
export type StagedPackage = StagedFolder & ({ kind: 'main' } | { kind: 'platform'; platform: string })

/** What every staged package has: its name, version and folder. */
export interface StagedFolder {
  name: string
  version: string
  /** Folder holding its package.json and files. */
  dir: string
}

/**
 * The npm fields of a platform package for `platform` (napi-rs ids):
 * `os`, `cpu` and, on Linux, `libc` (npm package.json docs: os, cpu, libc),
 * so npm installs only the one that fits the machine.
 */
export function platformFields(platform: string): { os: string[]; cpu: string[]; libc?: string[] } {
  const [os, cpu, abi] = platform.split('-')
  if (!os || !cpu) throw new RustyError(`Cannot tell the OS and CPU of the platform "${platform}".`)
  const fields: { os: string[]; cpu: string[]; libc?: string[] } = { os: [os], cpu: [cpu] }
  if (os === 'linux') fields.libc = [abi?.startsWith('musl') ? 'musl' : 'glibc']
  return fields
}

/** What {@link stagePackages} assembles, besides the project. */
export interface StagingPlan {
  /** The per-platform artifacts: one platform package each (none for a backend without platform packages). */
  platformArtifacts: Artifact[]
  /**
   * An artifact that ships inside the main package (wasm's module), and its
   * file name there: every packed file of that name under native/ is
   * replaced by the artifact, so the package holds the release build from
   * the artifacts folder, whatever a later `rusty develop` left in native/.
   */
  bundled?: { artifact: Artifact; packagedAs: string }
  /** Where build outputs are, so none is staged (see {@link forbiddenReason}). */
  folders: OutputFolders
}

/** A file of the project left out of the main package, and why. */
export interface LeftOut {
  file: string
  reason: string
}

/**
 * Assembles what `rusty publish` uploads, under `<project>/.rusty/publish/`:
 * one platform package `<name>-<platform>` per artifact holding only that
 * binary, and the main package (the files `npm pack` would include, without
 * binaries when they go in platform packages, and never rusty's state, a
 * cargo target dir, the artifacts folder or temporary files, whatever
 * "files" and .gitignore say) whose `optionalDependencies` list every
 * platform package at the same version. Every platform package gets the
 * main one's `publishConfig` (registry, access, tag, provenance; see
 * {@link inheritedPublishConfig}), so all of them go to one registry the same way.
 *
 * @returns the platform packages first, the main package last, and the files left out
 * @throws RustyError when the bundled artifact has no place in the packed files
 */
export async function stagePackages(project: Project, plan: StagingPlan): Promise<{ staged: StagedPackage[]; leftOut: LeftOut[] }> {
  const root = path.join(project.stateDir, 'publish')
  await fs.rm(root, { recursive: true, force: true })
  // Listed before the platform packages are written under .rusty/publish/: left out anyway, but not worth reporting.
  const packed = await packedFiles(project.root)
  await fs.mkdir(root, { recursive: true })
  const { name } = project.packageJson
  const version = String(project.packageJson.version)
  const publishConfig = inheritedPublishConfig(project.packageJson)
  const staged: StagedPackage[] = []

  for (const artifact of plan.platformArtifacts) {
    const dir = path.join(root, `platform-${artifact.platform}`)
    const file = path.basename(artifact.file)
    await fs.mkdir(dir, { recursive: true })
    await fs.copyFile(artifact.file, path.join(dir, file))
    const pkg = {
      name: `${name}-${artifact.platform}`,
      version,
      description: `The compiled library of ${name} for ${artifact.platform}.`,
      ...platformFields(artifact.platform),
      main: file,
      files: [file],
      ...pick(project.packageJson, ['license', 'repository', 'author', 'homepage']),
      ...(publishConfig ? { publishConfig } : {}),
    }
    await fs.writeFile(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
    staged.push({ kind: 'platform', platform: artifact.platform, name: pkg.name, version, dir })
  }

  const mainDir = path.join(root, 'main')
  const leftOut: LeftOut[] = []
  const isCargoTargetDir = cargoTargetDirIn(project.root)
  let bundledPlaces = 0
  for (const file of packed) {
    const reason = forbiddenReason(file, plan.folders, isCargoTargetDir)
    if (reason) {
      leftOut.push({ file, reason })
      continue
    }
    // Binaries never ship in a main package that has platform packages: each lives in its own.
    if (plan.platformArtifacts.length > 0 && isPlatformBinary(file)) continue
    const dest = path.join(mainDir, file)
    await fs.mkdir(path.dirname(dest), { recursive: true })
    const bundled = plan.bundled && file.startsWith('native/') && path.posix.basename(file) === plan.bundled.packagedAs
    await fs.copyFile(bundled ? plan.bundled!.artifact.file : path.join(project.root, file), dest)
    if (bundled) bundledPlaces++
  }
  if (plan.bundled && bundledPlaces === 0) {
    throw new RustyError(`The package has no native/**/${plan.bundled.packagedAs} for ${path.relative(project.root, plan.bundled.artifact.file)} to ship as: native/ is missing or left out of package.json "files".`, {
      hint: 'Run `rusty build` (it writes native/ and the artifact), and keep "native" in package.json "files".',
    })
  }
  const mainPkg: Record<string, unknown> = { ...project.packageJson }
  if (plan.platformArtifacts.length > 0) {
    mainPkg.optionalDependencies = {
      ...(mainPkg.optionalDependencies as Record<string, string> | undefined),
      ...Object.fromEntries(plan.platformArtifacts.map((a) => [`${name}-${a.platform}`, version])),
    }
  }
  await fs.writeFile(path.join(mainDir, 'package.json'), `${JSON.stringify(mainPkg, null, 2)}\n`)
  staged.push({ kind: 'main', name, version, dir: mainDir })
  return { staged, leftOut }
}

/** The `publishConfig` keys npm's publish reads that every package of a project shares. */
const SHARED_PUBLISH_CONFIG = ['registry', 'access', 'tag', 'provenance']

/**
 * The registry `rusty publish` sends every package to: `--registry`, else
 * the main package.json's `publishConfig` (`@scope:registry` for a scoped
 * name, which npm prefers for that scope, then `registry`), else undefined
 * (npm's configuration decides).
 */
export function publishRegistry(packageJson: Record<string, unknown>, option: string | undefined): string | undefined {
  if (option) return option
  const config = packageJson.publishConfig as Record<string, unknown> | undefined
  const name = String(packageJson.name ?? '')
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined
  const scoped = scope ? config?.[`${scope}:registry`] : undefined
  const registry = typeof scoped === 'string' ? scoped : config?.registry
  return typeof registry === 'string' ? registry : undefined
}

/**
 * The `publishConfig` every package of the project is published with: the
 * main package.json's registry (and, for a scoped name, `@scope:registry`),
 * access, tag and provenance settings (npm package.json docs,
 * "publishConfig"), so a platform package goes where the main one goes and
 * the same way. undefined when the main package sets none of them.
 */
export function inheritedPublishConfig(packageJson: Record<string, unknown>): Record<string, unknown> | undefined {
  const config = (packageJson.publishConfig ?? {}) as Record<string, unknown>
  const name = String(packageJson.name ?? '')
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined
  const shared = pick(config, [...SHARED_PUBLISH_CONFIG, ...(scope ? [`${scope}:registry`] : [])])
  return Object.keys(shared).length > 0 ? shared : undefined
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]))
}
