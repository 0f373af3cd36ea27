import { prepareBuild } from '../build/context.js'
import { locateProject } from '../project/scope.js'
import { buildArtifact } from '../build/run.js'
import { RustyError } from '../errors.js'
import { compileTypeScript } from '../project/typescript.js'
import { artifactsDirOf, listPlatformArtifacts } from '../publish/artifacts.js'
import { npmPublish, versionExists } from '../publish/npm.js'
import { stagePackages, type StagedPackage } from '../publish/packages.js'
import { verifyStagedPackage } from '../publish/verify.js'
import { platformOf } from '../util/platform.js'
import type { Reporter } from '../util/reporter.js'

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
}

/**
 * `rusty publish`: builds the host's release artifact (unless `noBuild`),
 * assembles the platform packages and the main package, packs and installs
 * the main package with the host's platform package into a temporary app
 * and calls a function there (a package that does not load is never published),
 * checks which versions the registry already has (before anything is
 * uploaded), then publishes platform packages first and the main package
 * last through `npm publish`, printing one line per package.
 *
 * @returns one entry per package
 * @throws RustyError before any upload when the package does not load, the
 *   registry cannot be reached, or a version exists (without `skipExisting`);
 *   after uploads, when any package failed (the report says which, and a
 *   re-run with `skipExisting` completes the rest)
 */
export async function publish(options: PublishOptions = {}): Promise<PublishedPackage[]> {
  const scope = locateProject(options)
  const { project, backendInfo, reporter } = scope
  const out = artifactsDirOf(project, options.out)
  if (!options.noBuild) await buildArtifact(await prepareBuild(scope, { release: true, artifactsDir: out }))
  else await compileTypeScript(project)

  const hostPlatform = await platformOf()
  // A backend without platform packages (wasm) ships its one artifact inside the main package.
  const artifacts = backendInfo.platformPackages ? await listPlatformArtifacts(out) : []
  if (backendInfo.platformPackages && artifacts.length === 0) {
    throw new RustyError(`No artifacts in ${out} to publish.`, { hint: 'Run `rusty build` (or drop --no-build).' })
  }
  const staged = await stagePackages(project, artifacts)
  const main = staged.at(-1)!
  const platforms = staged.slice(0, -1)

  reporter.start(`Installing ${main.name}@${main.version} from its packed tarballs into a test app`)
  const host = platforms.find((p) => p.role === hostPlatform)
  if (platforms.length > 0 && !host) {
    throw new RustyError(`Refusing to publish: there is no artifact for this machine (${hostPlatform}) to check that the package loads.`, {
      hint: 'Run `rusty build` here as well as collecting the other platforms.',
    })
  }
  const called = await verifyStagedPackage(main, host, project.root)
  reporter.done(`${main.name} loads and ${called}() runs`)

  const registryOptions = { cwd: project.root, registry: options.registry }
  reporter.start('Checking which versions the registry already has')
  const existing = new Set<string>()
  for (const pkg of staged) {
    if (await versionExists(pkg.name, pkg.version, registryOptions)) existing.add(pkg.name)
  }
  if (existing.size > 0 && !options.skipExisting) {
    throw new RustyError(`Already on the registry: ${[...existing].map((n) => `${n}@${main.version}`).join(', ')}. Nothing was published.`, {
      hint: 'Bump the version with `rusty version patch`, or pass --skip-existing to publish only what is missing.',
    })
  }
  reporter.done(existing.size ? `${existing.size} of ${staged.length} packages already published; skipping them` : 'None of these versions is published yet')

  const results: PublishedPackage[] = []
  let platformFailed = false
  for (const pkg of staged) {
    const entry = await publishOne(pkg, { existing, platformFailed, options, registryOptions })
    if (entry.status === 'failed' && pkg !== main) platformFailed = true
    results.push(entry)
    const line = `${entry.status.padEnd(9)} ${pkg.name}@${pkg.version}${entry.reason ? ` (${entry.reason})` : ''}`
    if (entry.status === 'failed') reporter.warn(line)
    else reporter.done(line)
  }
  const failed = results.filter((r) => r.status === 'failed')
  if (failed.length > 0) {
    throw new RustyError(`${failed.length} of ${results.length} packages were not published: ${failed.map((f) => f.name).join(', ')}.`, {
      hint: 'Fix the cause above, then run `rusty publish --skip-existing` to publish the rest.',
    })
  }
  return results
}

async function publishOne(
  pkg: StagedPackage,
  context: { existing: Set<string>; platformFailed: boolean; options: PublishOptions; registryOptions: { cwd: string; registry?: string } },
): Promise<PublishedPackage> {
  const base = { name: pkg.name, version: pkg.version }
  if (context.existing.has(pkg.name)) return { ...base, status: 'skipped', reason: 'already on the registry' }
  if (pkg.role === 'main' && context.platformFailed) {
    return { ...base, status: 'failed', reason: 'not published because a platform package failed' }
  }
  const outcome = await npmPublish(pkg.name, pkg.dir, {
    ...context.registryOptions,
    tag: context.options.tag,
    access: context.options.access,
    dryRun: context.options.dryRun,
  })
  if (!outcome.ok) return { ...base, status: 'failed', reason: outcome.reason }
  return { ...base, status: context.options.dryRun ? 'dry-run' : 'published' }
}
