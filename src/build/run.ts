import fs from 'node:fs/promises'
import path from 'node:path'
import type { BuildResult } from '../backends/index.js'
import type { Artifact } from '../backends/types.js'
import { linkInto } from '../project/link.js'
import { acquireBuildLock } from '../project/lock.js'
import { assertProjectTools, projectTools } from '../project/tools.js'
import { compileTypeScript, type CompileResult } from '../project/typescript.js'
import type { BuildContext } from './context.js'
import type { HostFacts } from './cross.js'

/** What {@link runBuild} did. Paths are absolute. */
export interface BuildRun {
  /** What the backend built and installed. */
  build: BuildResult
  /** The TypeScript wrapper's compile (`compiled` false: up to date, or no tsconfig.json). */
  typescript: CompileResult
  /** The links made into the `into` apps. */
  links: string[]
  /** How long the run took once it held the build lock, in milliseconds. */
  durationMs: number
}

/**
 * Runs one build of `context`: checks the project's build tools are
 * installed, takes the project's build lock, has the backend build and
 * install the binding, compiles the TypeScript wrapper, and links the
 * package into each app of `into` (relative to `context.cwd`); whatever
 * happens, the project is unlocked at the end.
 *
 * @throws RustyError when a tool is missing, cargo, the backend or
 *   TypeScript fails (the previous build stays in place), or a link cannot be made
 */
export async function runBuild(context: BuildContext, options: { into?: string[] } = {}): Promise<BuildRun> {
  const { project, backend, reporter } = context
  assertProjectTools(project.root, projectTools(project, backend))
  const unlock = await acquireBuildLock(project, reporter)
  try {
    const started = Date.now()
    const build = await backend.build(context)

    reporter.start('Compiling the TypeScript wrapper')
    const typescript = await compileTypeScript(project)
    reporter.done(
      typescript.tsconfig === undefined
        ? 'No tsconfig.json: skipped TypeScript'
        : typescript.compiled
          ? 'Compiled the TypeScript wrapper'
          : 'TypeScript wrapper up to date',
    )

    const links: string[] = []
    for (const app of options.into ?? []) {
      const appDir = path.resolve(context.cwd, app)
      links.push(await linkInto(project, appDir))
      reporter.done(`Linked ${project.packageJson.name} into ${appDir}`)
    }
    return { build, typescript, links, durationMs: Date.now() - started }
  } finally {
    await unlock()
  }
}

/**
 * The release build `rusty build` and `rusty publish` make: runs `context`
 * (made with `release` and an `artifactsDir`, which is created when missing),
 * linked for Linux the way `src/build/cross.ts` describes (the glibc floor's
 * sysroot, musl through zig), checks a `linux-*-gnu` artifact against the
 * project's glibc floor (`"glibc"`, auditwheel's check:
 * src/build/glibc-floor.ts), and reports the artifact with its size.
 *
 * @returns the artifact: its platform and where it is, so callers never
 *   work either out again (no second platform detection, no re-listing)
 * @throws RustyError as {@link runBuild} and {@link withCross}, and when the
 *   artifact needs a glibc symbol version above the floor; that artifact is
 *   removed first, so artifacts/ never holds it as if it were good
 */
export async function buildArtifact(context: BuildContext): Promise<Artifact> {
  if (context.artifactsDir !== undefined) await fs.mkdir(context.artifactsDir, { recursive: true })
  const linked = await withCross(context)
  const run = await runBuild(linked)
  const { artifact, platform } = run.build
  const { root, config } = context.project
  // napi-rs's platform ids: linux-x64-gnu, linux-arm64-gnu, linux-arm-gnueabihf, ...
  if (/^linux-.+-gnu/.test(platform)) {
    const { checkGlibcFloor } = await import('./glibc-floor.js')
    try {
      await checkGlibcFloor(artifact, config.glibc, root, linked.cross?.plan.kind === 'gnu')
    } catch (error) {
      await fs.rm(artifact, { force: true })
      throw error
    }
  }
  const { size } = await fs.stat(artifact)
  context.reporter.done(`Built ${path.relative(root, artifact)} (${platform}, release, ${formatSize(size)})`)
  return { platform, file: artifact }
}

/** A file size as people read it: `412 KB`, `2.2 MB` (1 KB = 1024 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/**
 * `context` with its cross build (`src/build/cross.ts`) made ready when
 * its target (or the host) is a Linux target rusty links itself: `target`
 * set to the plan's triple, and `cross` to the toolchain's environment.
 * Other targets: `context` as it is. The cross modules load only here, so
 * `rusty develop` never pays for them. The glibc floor was checked when the
 * project was read (src/project/config.ts); the 2.17 sysroot meets every
 * floor it accepts.
 *
 * @throws RustyError from `prepareCross` (a missing std, toolchain, cargo-zigbuild or zig)
 */
export async function withCross(context: BuildContext, host?: HostFacts): Promise<BuildContext> {
  const { planCross } = await import('./cross.js')
  const facts = host ?? { platform: process.platform, arch: process.arch, libc: process.platform === 'linux' ? (await import('detect-libc')).default.familySync() : null }
  const plan = planCross(context.target ?? context.backend.rustTarget, facts)
  if (!plan) return context
  const { prepareCross } = await import('./cross-setup.js')
  const cross = await prepareCross(plan, context.project.root, context.reporter)
  return { ...context, target: plan.triple, cross }
}
