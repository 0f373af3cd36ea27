import fs from 'node:fs/promises'
import path from 'node:path'
import type { BuildResult } from '../backends/index.js'
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
 * package into each app of `into` (relative to `context.cwd`); the lock is
 * released whatever happens.
 *
 * @throws RustyError when a tool is missing, cargo, the backend or
 *   TypeScript fails (the previous build stays in place), or a link cannot be made
 */
export async function runBuild(context: BuildContext, options: { into?: string[] } = {}): Promise<BuildRun> {
  const { project, backend, reporter } = context
  assertProjectTools(project.root, projectTools(project, backend))
  const release = await acquireBuildLock(project, reporter)
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
    await release()
  }
}

/**
 * The release build `rusty build` and `rusty publish` make: runs `context`
 * (made with `release` and an `artifactsDir`, which is created when missing)
 * and reports the artifact. A Linux artifact is linked the way
 * `src/build/cross.ts` describes (glibc floor, musl through zig).
 *
 * @throws RustyError as {@link runBuild}, or {@link withCross}
 */
export async function buildArtifact(context: BuildContext): Promise<BuildRun> {
  if (context.artifactsDir !== undefined) await fs.mkdir(context.artifactsDir, { recursive: true })
  const run = await runBuild(await withCross(context))
  context.reporter.done(`Built ${path.relative(context.project.root, run.build.artifact)} (${run.build.platform}, release)`)
  return run
}

/**
 * `context` with its cross build (`src/build/cross.ts`) made ready when
 * its target (or the host) is a Linux target rusty links itself: `target`
 * set to the plan's triple, and `cross` to the toolchain's environment.
 * Other targets: `context` as it is. The cross modules load only here, so
 * `rusty develop` never pays for them.
 *
 * @throws RustyError from `glibcFloor` (an invalid or too low `"rusty".glibc`)
 *   and `prepareCross` (a missing std, toolchain, cargo-zigbuild or zig)
 */
export async function withCross(context: BuildContext, host?: HostFacts): Promise<BuildContext> {
  const { planCross, glibcFloor } = await import('./cross.js')
  const facts = host ?? { platform: process.platform, arch: process.arch, libc: process.platform === 'linux' ? (await import('detect-libc')).default.familySync() : null }
  const plan = planCross(context.target ?? context.backend.rustTarget, facts)
  if (!plan) return context
  if (plan.kind === 'gnu') glibcFloor(context.project.packageJson, context.project.packageJsonPath)
  const { prepareCross } = await import('./cross-setup.js')
  const cross = await prepareCross(plan, context.project.root, context.reporter)
  return { ...context, target: plan.triple, cross }
}
