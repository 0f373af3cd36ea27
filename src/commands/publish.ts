import path from 'node:path'
import type { BackendInfo } from '../project/backend-table.js'
import { prepareBuild } from '../pipeline/context.js'
import { findProject, type Project } from '../project/config.js'
import { commandScope } from '../project/scope.js'
import { buildArtifact, compileWrapper } from '../pipeline/run.js'
import { RustyError } from '../errors.js'
import { artifactsDirOf, listArtifacts, type Artifact } from '../publish/artifacts.js'
import { checkManifest, checkPackedFiles, type OutputFolders } from '../publish/guards.js'
import { npmPublish, versionExists } from '../publish/npm.js'
import { packStaged, type PackedPackage } from '../publish/pack.js'
import { publishRegistry, stagePackages, type LeftOut, type StagingPlan } from '../publish/packages.js'
import { AFTER_PACK_SCRIPTS, AFTER_PUBLISH_SCRIPTS, BEFORE_PUBLISH_SCRIPTS, runLifecycleScripts } from '../publish/scripts.js'
import { verifyStagedPackage } from '../publish/verify.js'
import { platformOf } from '../util/platform.js'
import type { Reporter } from '../util/reporter.js'
import { redact, secretsOf } from '../util/secrets.js'

/** Options of {@link publish}; the CLI's `rusty publish` flags map onto these. */
export interface PublishOptions {
  /** Any folder inside the project. Default: process.cwd(). */
  cwd?: string
  /** Registry URL; default: npm's configuration. */
  registry?: string
  /** npm dist-tag (`--tag`). */
  tag?: string
  /** `public` or `restricted` (`--access`). */
  access?: string
  /** Run every check and `npm publish --dry-run`; upload nothing. */
  dryRun?: boolean
  /** Report and skip versions already on the registry instead of stopping. */
  skipExisting?: boolean
  /** Use the artifacts folder as it is instead of building the host's artifact first. */
  noBuild?: boolean
  /** Artifacts folder, relative to the package root. Default: `artifacts`. */
  out?: string
  reporter?: Reporter
}

/** One package's line in the report. */
export interface PublishedPackage {
  name: string
  version: string
  status: 'published' | 'skipped' | 'failed' | 'dry-run'
  /** Why it was skipped or failed. */
  reason?: string
  /** When npm refused it: npm's code and its own error lines, redacted (src/publish/npm-errors.ts). */
  npm?: { code?: string; lines: string[] }
}

/**
 * `rusty publish`: refuses a package.json that must not be published
 * (`"private": true`, no valid name or version) before anything else; runs
 * the package's `prepublishOnly`, `prepack` and `prepare` scripts in its
 * root (never in the staging folder); builds the host's release artifact
 * (unless `noBuild`); assembles the platform packages and the main package
 * (each platform package with the main one's `publishConfig`, the main
 * package with the release build from the artifacts folder, never
 * `.rusty/`, a cargo target dir, `artifacts/` or temporary files); checks
 * every package's packed files for build outputs and credentials; packs
 * and installs the main package with the host's platform package into a
 * temporary app and calls a function there (a package that does not load
 * is never published); checks which versions the registry already has;
 * only then publishes, platform packages first and the main package last,
 * through `npm publish --ignore-scripts`, printing one line per package,
 * and runs the package's `publish` and `postpublish` scripts. Every package
 * goes to one registry: `registry`, else the main package's `publishConfig`.
 *
 * @returns one entry per package
 * @throws RustyError before any upload when a package must not be published,
 *   a script fails, the package does not load, the registry cannot be
 *   reached, or a version exists (without `skipExisting`); after uploads,
 *   when any package failed, with the exact command that publishes the rest
 *   ({@link finishingCommand})
 */
export async function publish(options: PublishOptions = {}): Promise<PublishedPackage[]> {
  const scope = commandScope(options)
  const { backendInfo, reporter } = scope
  let { project } = scope
  checkManifest(project.packageJson, project.packageJsonPath)
  if (await runLifecycleScripts(project, BEFORE_PUBLISH_SCRIPTS, reporter, 'before').then((ran) => ran.length > 0)) {
    // A script may have changed package.json (a version bump): publish what it says now.
    project = findProject(project.root)
    checkManifest(project.packageJson, project.packageJsonPath)
  }
  const registry = publishRegistry(project.packageJson, options.registry)
  const out = artifactsDirOf(project, options.out)
  // The artifact just built says which platform this machine is; with --no-build, the machine is asked.
  const built = options.noBuild ? undefined : await buildArtifact(await prepareBuild({ ...scope, project }, { release: true, mode: { kind: 'artifact', dir: out } }))
  if (!built) await compileWrapper({ project, reporter })
  const hostPlatform = built?.platform ?? (await platformOf())
  // The folder is read once: this build's artifact and those collected from other machines.
  const inOut = await listArtifacts(out, backendInfo)
  // A backend without platform packages (wasm) ships its one artifact inside the main package.
  const artifacts = backendInfo.platformPackages ? inOut : []
  if (backendInfo.platformPackages && artifacts.length === 0) {
    throw new RustyError(`No artifacts in ${out} to publish.`, { hint: 'Run `rusty build` (or drop --no-build).' })
  }
  const folders = outputFolders(project, out)
  let packed: PackedPackage[]
  try {
    const staging = await stagePackages(project, { platformArtifacts: artifacts, bundled: bundledArtifact(backendInfo, out, built ? [built] : inOut), folders })
    if (staging.leftOut.length > 0) reporter.info(`Left out of ${project.packageJson.name}: ${describeLeftOut(staging.leftOut)}`)

    // Every package passes every check before the first upload; each is packed
    // once, and the tarball checked here is the one installed and uploaded below.
    const { staged } = staging
    reporter.start(`Checking the files of ${staged.length === 1 ? staged[0]!.name : `all ${staged.length} packages`}`)
    packed = await packStaged(staged, path.join(project.stateDir, 'publish', 'tarballs'))
    const secrets = secretsOf()
    for (const pkg of packed) await checkPackedFiles(pkg.name, pkg.dir, folders, secrets, pkg.files)
    reporter.done('No build output and no credential in any package')
  } finally {
    // npm runs postpack once the tarball is made; it often undoes prepack's changes to the package root.
    await runLifecycleScripts(project, AFTER_PACK_SCRIPTS, reporter, 'before')
  }
  const main = packed.find((pkg) => pkg.kind === 'main')!
  const platforms = packed.filter((pkg) => pkg.kind === 'platform')

  reporter.start(`Installing ${main.name}@${main.version} from its packed tarballs into a test app`)
  const host = platforms.find((p) => p.platform === hostPlatform)
  if (platforms.length > 0 && !host) {
    throw new RustyError(`Refusing to publish: there is no artifact for this machine (${hostPlatform}) to check that the package loads.`, {
      hint: 'Run `rusty build` here as well as collecting the other platforms.',
    })
  }
  const called = await verifyStagedPackage(main, host, project.root)
  reporter.done(`${main.name} loads and ${called}() runs`)

  const registryOptions = { cwd: project.root, registry }
  reporter.start(`Checking which versions ${registry ? redact(registry) : 'the registry'} already has`)
  const existing = new Set<string>()
  for (const pkg of packed) {
    if (await versionExists(pkg.name, pkg.version, registryOptions)) existing.add(pkg.name)
  }
  if (existing.size > 0 && !options.skipExisting) {
    throw new RustyError(`Already on the registry: ${[...existing].map((n) => `${n}@${main.version}`).join(', ')}. Nothing was published.`, {
      hint: 'Bump the version with `rusty version patch`, or pass --skip-existing to publish only what is missing.',
    })
  }
  reporter.done(existing.size ? `${existing.size} of ${packed.length} packages already published; skipping them` : 'None of these versions is published yet')

  const results: PublishedPackage[] = []
  let platformFailed = false
  try {
    for (const pkg of packed) {
      const entry = await publishOne(pkg, { existing, platformFailed, options, registryOptions })
      if (entry.status === 'failed' && pkg !== main) platformFailed = true
      results.push(entry)
      const line = `${entry.status.padEnd(9)} ${pkg.name}@${pkg.version}${entry.reason ? ` (${entry.reason})` : ''}`
      if (entry.status === 'failed') {
        reporter.warn(line)
        // npm's own words, so the cause is on screen whatever rusty made of it.
        for (const npmLine of entry.npm?.lines ?? []) reporter.info(`npm error ${npmLine}`)
      } else reporter.done(line)
    }
  } catch (error) {
    // Whatever stopped the uploads, a partial publish is never left without the command that finishes it.
    const published = results.filter((r) => r.status === 'published')
    if (published.length === 0) throw error
    throw new RustyError(`Publishing stopped after ${published.map((r) => r.name).join(', ')}: ${redact(error instanceof Error ? error.message : String(error))}`, {
      hint: `Run \`${finishingCommand(options)}\` to publish the rest.`,
      cause: error,
    })
  }
  const failed = results.filter((r) => r.status === 'failed')
  if (failed.length > 0) {
    throw new RustyError(`${failed.length} of ${results.length} packages were not published: ${failed.map((f) => f.name).join(', ')}.`, {
      hint: `Fix the cause above, then run \`${finishingCommand(options)}\` to publish the rest (it skips what is already on the registry).`,
    })
  }
  if (!options.dryRun) await runLifecycleScripts(project, AFTER_PUBLISH_SCRIPTS, reporter, 'after')
  return results
}

/**
 * The command that completes a partial publish of `options`: the same
 * registry, tag, access and artifacts folder, with `--skip-existing` (what
 * is already up is reported as skipped) and `--no-build` (the artifacts the
 * first packages were made of ship in the rest), and `--dry-run` when the
 * run was one. A registry URL is shown without its credentials (`***`):
 * put them back, or keep them in .npmrc, to run it.
 */
export function finishingCommand(options: Pick<PublishOptions, 'registry' | 'tag' | 'access' | 'out' | 'dryRun'>): string {
  const args = ['rusty', 'publish', '--skip-existing', '--no-build']
  if (options.dryRun) args.push('--dry-run')
  if (options.registry) args.push('--registry', redact(options.registry))
  if (options.tag) args.push('--tag', options.tag)
  if (options.access) args.push('--access', options.access)
  if (options.out) args.push('--out', options.out)
  return args.map((arg) => (/^[\w@%+=:,./*-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ')
}

/** The folders of build outputs, relative to the package root, that no package may contain. */
function outputFolders(project: Project, out: string): OutputFolders {
  const inside = (dir: string | undefined) => {
    if (!dir) return undefined
    const relative = path.relative(project.root, path.resolve(project.root, dir))
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : undefined
  }
  return { crate: inside(project.crateDir) ?? '.', artifacts: inside(out), target: inside(process.env.CARGO_TARGET_DIR) }
}

/**
 * The artifact that ships inside the main package, for a backend whose
 * artifact does ({@link ArtifactNaming.packagedAs}): the one release build
 * of that kind among `artifacts` (the one just built, else those in `out`).
 *
 * @throws RustyError when there is none (`rusty build` makes it) or several
 */
function bundledArtifact(backendInfo: BackendInfo, out: string, artifacts: Artifact[]): StagingPlan['bundled'] {
  const { packagedAs, platform } = backendInfo.artifacts
  if (!packagedAs) return undefined
  const found = artifacts.filter((artifact) => artifact.platform === platform)
  if (found.length === 0) {
    throw new RustyError(`No release build in ${out} to publish (the module the package ships is the release build, not the one in native/).`, {
      hint: 'Run `rusty build` (or drop --no-build).',
    })
  }
  if (found.length > 1) {
    throw new RustyError(`${out} holds ${found.length} modules (${found.map((a) => path.basename(a.file)).join(', ')}); rusty publish ships one.`, {
      hint: `Delete the stale ones from ${out}, or run \`rusty build\` after emptying it.`,
    })
  }
  return { artifact: found[0]!, packagedAs }
}

/** `.rusty/ (12 files), rust/target/ (3 files)`: the left-out files by their first two folders. */
function describeLeftOut(leftOut: LeftOut[]): string {
  const groups = new Map<string, number>()
  for (const { file } of leftOut) {
    const parts = file.split('/')
    const key = parts.length === 1 ? file : `${parts.slice(0, Math.min(2, parts.length - 1)).join('/')}/`
    groups.set(key, (groups.get(key) ?? 0) + 1)
  }
  return `${[...groups].map(([key, n]) => `${key} (${n} file${n === 1 ? '' : 's'})`).join(', ')}: build outputs never ship`
}

async function publishOne(
  pkg: PackedPackage,
  context: { existing: Set<string>; platformFailed: boolean; options: PublishOptions; registryOptions: { cwd: string; registry?: string } },
): Promise<PublishedPackage> {
  const base = { name: pkg.name, version: pkg.version }
  if (context.existing.has(pkg.name)) return { ...base, status: 'skipped', reason: 'already on the registry' }
  if (pkg.kind === 'main' && context.platformFailed) {
    return { ...base, status: 'failed', reason: 'not published because a platform package failed' }
  }
  const outcome = await npmPublish(pkg.name, pkg.tarball, {
    ...context.registryOptions,
    tag: context.options.tag,
    access: context.options.access,
    dryRun: context.options.dryRun,
  })
  if (!outcome.ok) {
    const { code, lines, reason } = outcome.error
    return { ...base, status: 'failed', reason, npm: { ...(code === undefined ? {} : { code }), lines } }
  }
  return { ...base, status: context.options.dryRun ? 'dry-run' : 'published' }
}
