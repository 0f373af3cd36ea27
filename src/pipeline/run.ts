import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { BackendBuild, BuildResult } from '../backends/index.js'
import { byRole, type OutputFile } from '../backends/install.js'
import type { Artifact } from '../backends/types.js'
import { linkInto } from '../project/link.js'
import { acquireBuildLock } from '../project/lock.js'
import { assertProjectTools, projectTools } from '../project/tools.js'
import { compileTypeScript, wrapperState, type CompileResult } from '../project/typescript.js'
import type { BuildContext } from './context.js'
import { checkPackageLoads } from './load-check.js'
import { Stage, commit, journalFileOf, pauseAt, recoverBuildState, removeLeftovers, stageDirOf, type Move } from './transaction.js'
import type { HostFacts } from './cross.js'

/** What {@link runBuild} did. Paths are absolute. */
export interface BuildRun {
  /** What the backend built, where it was placed. */
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
 * installed, takes the project's build lock, finishes what a killed run
 * left (src/pipeline/transaction.ts), has the backend build the binding, places
 * it with the compiled TypeScript wrapper through {@link commitBuild}, and
 * links the package into each app of `into` (relative to `context.cwd`);
 * whatever happens, the project is unlocked at the end.
 *
 * @throws RustyError when a tool is missing, cargo, the backend, TypeScript
 *   or the load check fails (native/ and dist/ stay as they were), or a link
 *   cannot be made
 */
export async function runBuild(context: BuildContext, options: { into?: string[] } = {}): Promise<BuildRun> {
  const { project, backend, reporter } = context
  assertProjectTools(project.root, projectTools(project, backend))
  const unlock = await acquireBuildLock(project, reporter)
  try {
    const started = Date.now()
    await recoverBuildState(project)
    const built = await backend.build(context)
    await pauseAt('built')
    const placed = placement(context, built)
    const { changed, typescript } = await commitBuild(context, built, placed)
    const links: string[] = []
    for (const app of options.into ?? []) {
      const appDir = path.resolve(context.cwd, app)
      links.push(await linkInto(project, appDir))
      reporter.done(`Linked ${project.packageJson.name} into ${appDir}`)
    }
    const build: BuildResult = { files: built.files.map(placed.place), artifact: placed.artifact, changed, platform: built.platform }
    return { build, typescript, links, durationMs: Date.now() - started }
  } finally {
    await unlock()
  }
}

/** Where a build's files go: {@link placement}'s answer. Paths are absolute. */
export interface Placement {
  /** The outputs to place, each with its destination, in the backend's order. */
  outputs: (OutputFile & { to: string })[]
  /** Stale files or folders to remove. */
  stale: string[]
  /** Where a file of the binding (relative to native/) is placed. */
  place: (file: string) => string
  /** Where the compiled library ends up (the artifacts folder's copy for a backend without platform packages). */
  artifact: string
}

/**
 * Chooses where `built` goes, from the mode alone (maturin's `InstallDest`):
 * develop puts every file in native/; an artifact build puts the library in
 * the artifacts folder under its platform name, and the rest in native/. A
 * backend whose library ships inside the main package (no platform
 * packages: wasm) keeps it in native/ and gets a copy in the artifacts folder.
 */
export function placement(context: Pick<BuildContext, 'mode' | 'project' | 'backend'>, built: BackendBuild): Placement {
  const { mode, project, backend } = context
  const native = (file: string) => path.join(project.nativeDir, file)
  const artifactPath = mode.kind === 'artifact' ? path.join(mode.dir, built.artifactName) : undefined
  const moved = artifactPath !== undefined && backend.platformPackages
  const place = (file: string) => (moved && file === built.library ? artifactPath : native(file))
  const outputs = built.outputs.map((output) => ({ ...output, to: place(output.dest) }))
  if (artifactPath !== undefined && !moved) {
    const library = built.outputs.find((output) => output.dest === built.library)
    outputs.push({ dest: built.library, role: 'library', source: library?.source ?? { file: native(built.library) }, unchecked: library?.unchecked, to: artifactPath })
  }
  return { outputs, stale: (built.stale ?? []).map(native), place, artifact: artifactPath ?? place(built.library) }
}

/**
 * Puts a build in place as one transaction (src/pipeline/transaction.ts): the
 * outputs that differ and the compiled TypeScript wrapper are written into
 * `.rusty/stage` beside a mirror of native/ and dist/; a build that loads
 * in this Node is imported there in a child process (an artifact build's
 * library, moved out of native/, staged in native/ for that alone); then every
 * changed file is moved into place by rename in role order (library,
 * runtime, glue, typings, the wrapper, the loader last) under a commit
 * journal, and only then are the stamps written. Nothing to place and a
 * current wrapper: nothing is staged at all (a no-op develop).
 *
 * @returns whether any file changed, and the wrapper's compile
 * @throws RustyError from TypeScript or the load check; nothing was moved then
 */
export async function commitBuild(
  context: Pick<BuildContext, 'mode' | 'project' | 'reporter'>,
  built: Pick<BackendBuild, 'loadsInNode' | 'afterCommit'> & Partial<Pick<BackendBuild, 'library'>>,
  placed: Pick<Placement, 'outputs' | 'stale' | 'place'>,
): Promise<{ changed: boolean; typescript: CompileResult }> {
  const { project, reporter } = context
  const stale = placed.stale.filter((file) => existsSync(file))
  if (placed.outputs.length === 0 && stale.length === 0) {
    const wrapper = await wrapperState(project)
    if (wrapper.fresh) {
      reportWrapper(reporter, { compiled: false, tsconfig: wrapper.tsconfig })
      return { changed: false, typescript: { compiled: false, tsconfig: wrapper.tsconfig } }
    }
  }

  const stage = new Stage(project.root, stageDirOf(project))
  const native = project.nativeDir
  await stage.open([native, path.join(project.root, 'dist')])
  await fs.copyFile(project.packageJsonPath, stage.staged(project.packageJsonPath))
  const moves: (Move & { rank: number })[] = []
  for (const output of byRole(placed.outputs)) {
    if (await stage.put(output.to, output.source, output.unchecked)) {
      moves.push({ from: stage.staged(output.to), to: output.to, rank: output.role === 'loader' ? 2 : 0 })
      await pauseAt('staging')
    }
  }
  for (const file of stale) await stage.remove(file)

  reporter.start('Compiling the TypeScript wrapper')
  const changedFiles = new Set(moves.map((move) => move.to))
  const typescript = await compileTypeScript(project, {
    readPath: (file) => (file === native || file.startsWith(`${native}${path.sep}`) ? stage.staged(file) : file),
    writePath: (file) => stage.staged(file),
    changed: changedFiles,
  })
  reportWrapper(reporter, typescript)
  for (const file of typescript.emitted ?? []) {
    const staged = stage.staged(file)
    const [next, current] = await Promise.all([fs.readFile(staged), fs.readFile(file).catch(() => undefined)])
    if (!current?.equals(next)) moves.push({ from: staged, to: file, rank: 1 })
  }

  if (built.loadsInNode && (moves.length > 0 || stale.length > 0)) {
    // An artifact build moves the library out of native/; the staged package
    // loads it from native/ all the same (a link, not a move: native/ keeps
    // what it had).
    const library = built.library === undefined ? undefined : path.join(native, built.library)
    const placedAt = library === undefined ? undefined : placed.place(built.library!)
    if (library !== undefined && placedAt !== library) {
      const from = moves.find((move) => move.to === placedAt)?.from ?? placedAt!
      const to = stage.staged(library)
      await fs.rm(to, { force: true })
      await fs.mkdir(path.dirname(to), { recursive: true })
      await fs.link(from, to).catch(() => fs.copyFile(from, to))
    }
    reporter.start('Checking that the new build loads')
    await checkPackageLoads(stage.dir, project.packageJson as Record<string, unknown>)
  }
  // Stable sort: the binding in role order, the wrapper, the loaders last.
  moves.sort((a, b) => a.rank - b.rank)
  await commit(journalFileOf(project), { moves: moves.map(({ from, to }) => ({ from, to })), removals: stale })
  await built.afterCommit?.(placed.place)
  await typescript.writeStamp?.()
  await removeLeftovers(project)
  return { changed: moves.length > 0 || stale.length > 0, typescript }
}

/** The line that says what became of the TypeScript wrapper. */
function reportWrapper(reporter: BuildContext['reporter'], typescript: CompileResult): void {
  reporter.done(
    typescript.tsconfig === undefined
      ? 'No tsconfig.json: skipped TypeScript'
      : typescript.compiled
        ? 'Compiled the TypeScript wrapper'
        : 'TypeScript wrapper up to date',
  )
}

/**
 * Compiles the TypeScript wrapper alone, through the same transaction as a
 * build (`rusty publish --no-build`): under the build lock, staged, and
 * moved into dist/ only when it compiles.
 *
 * @throws RustyError from TypeScript; dist/ stays as it was then
 */
export async function compileWrapper(context: Pick<BuildContext, 'project' | 'reporter'>): Promise<CompileResult> {
  const unlock = await acquireBuildLock(context.project, context.reporter)
  try {
    await recoverBuildState(context.project)
    const nothing = { outputs: [], stale: [], place: (file: string) => file }
    return (await commitBuild({ ...context, mode: { kind: 'develop' } }, { loadsInNode: false }, nothing)).typescript
  } finally {
    await unlock()
  }
}

/**
 * The release build `rusty build` and `rusty publish` make: runs `context`
 * (made with `release` and the `artifact` mode, whose folder is created when missing),
 * linked for Linux the way `src/pipeline/cross.ts` describes (the glibc floor's
 * sysroot, musl through zig), checks a `linux-*-gnu` artifact against the
 * project's glibc floor (`"glibc"`, auditwheel's check:
 * src/pipeline/glibc-floor.ts), and reports the artifact with its size.
 *
 * @returns the artifact: its platform and where it is, so callers never
 *   work either out again (no second platform detection, no re-listing)
 * @throws RustyError as {@link runBuild} and {@link withCross}, and when the
 *   artifact needs a glibc symbol version above the floor; that artifact is
 *   removed first, so artifacts/ never holds it as if it were good
 */
export async function buildArtifact(context: BuildContext): Promise<Artifact> {
  if (context.mode.kind === 'artifact') await fs.mkdir(context.mode.dir, { recursive: true })
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
 * `context` with its cross build (`src/pipeline/cross.ts`) made ready when
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
