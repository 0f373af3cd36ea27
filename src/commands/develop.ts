import path from 'node:path'
import { likelyTargetDir, prepareBuild, type BuildContext } from '../pipeline/context.js'
import { commandScope } from '../project/scope.js'
import { runBuild } from '../pipeline/run.js'
import type { CargoOptions } from '../util/cargo.js'
import type { Reporter } from '../util/reporter.js'

/**
 * Options of {@link develop}; the CLI's `rusty develop` flags map onto these.
 * The cargo options are {@link CargoOptions}, each optional (`targetDir`
 * relative to `cwd`); develop builds for the host, so without `target`.
 */
export interface DevelopOptions extends Partial<Omit<CargoOptions, 'target'>> {
  /** Any folder inside the project (the root or below). Default: process.cwd(). */
  cwd?: string
  /**
   * The wasm target (`universal`, `nodejs`, `web`, `bundler`);
   * default: package.json `"rusty".wasmTarget`, else `universal`.
   */
  wasmTarget?: string
  /** App folders to link the package into (`node_modules/<name>` symlinks). */
  into?: string[]
  /** Where progress goes; default: a reporter on stderr. */
  reporter?: Reporter
  /**
   * Keep running: rebuild whenever the crate or the TypeScript wrapper
   * changes, until Ctrl-C or `signal` aborts.
   */
  watch?: boolean
  /** Stops `watch` mode (the CLI stops it on Ctrl-C). */
  signal?: AbortSignal
}

/** What {@link develop} built. Paths are absolute. */
export interface DevelopResult {
  /** The package root. */
  root: string
  /** The compiled library in `native/`. */
  artifact: string
  /** Whether any file in `native/` or `dist/` changed. */
  changed: boolean
  /** Whether the TypeScript wrapper was recompiled. */
  compiled: boolean
  /** The links made by `into`. */
  links: string[]
}

/**
 * `rusty develop`: builds the crate with cargo through the project's backend,
 * compiles the TypeScript wrapper, places the binding and the compiled
 * wrapper through the build transaction (src/pipeline/transaction.ts: into
 * `native/` and `dist/`), and optionally links the package into apps.
 * Afterwards the package is importable in place (`import('./dist/index.js')`
 * or its package.json `exports`).
 *
 * @throws RustyError outside a project, for a wasm target the backend does
 *   not have, when cargo or TypeScript fails, when the new build does not
 *   load in a child Node process (the load check), when the wrapper's
 *   compile would overwrite a file rusty did not write (the previous build
 *   stays in place in each case), or when a link cannot be made
 */
export async function develop(options: DevelopOptions = {}): Promise<DevelopResult | undefined> {
  const context = await prepareBuild(commandScope(options), {
    mode: { kind: 'develop' },
    release: options.release,
    features: options.features,
    targetDir: options.targetDir,
    cargoArgs: options.cargoArgs,
    wasmTarget: options.wasmTarget,
  })
  const once = () => buildAndLink(context, options.into ?? [])
  if (!options.watch) return once()
  return watchProjectChanges(context, options.signal, once)
}

/** `develop --watch`: the first build, then one per change, until Ctrl-C or `signal`. */
async function watchProjectChanges(
  context: BuildContext,
  signal: AbortSignal | undefined,
  once: () => Promise<DevelopResult>,
): Promise<DevelopResult | undefined> {
  const { project, reporter } = context
  const { watchProject, buildOutputsFilter } = await import('../util/watch.js')
  const { reportError } = await import('../boundary.js')
  const controller = new AbortController()
  const stop = () => controller.abort()
  signal?.addEventListener('abort', stop, { once: true })
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const targetDirs = [likelyTargetDir(context), path.join(project.crateDir, 'target'), ...cargoArgsTargetDirs(context.cargoArgs, project.root)]
  if (process.env.CARGO_TARGET_DIR) targetDirs.push(path.resolve(project.root, process.env.CARGO_TARGET_DIR))
  let last: DevelopResult | undefined
  try {
    await watchProject({
      paths: [project.crateDir, path.join(project.root, 'src'), path.join(project.root, 'tsconfig.json'), path.join(project.root, 'tsconfig.rusty.json')],
      // A build writes these (cargo its target dir and Cargo.lock, rusty
      // .rusty/, native/, dist/); watching them would rebuild forever.
      ignored: buildOutputsFilter(project.root, targetDirs),
      build: async () => {
        last = await once()
      },
      reportError: (error) => process.stderr.write(reportError(error).text),
      reporter,
      signal: controller.signal,
    })
  } finally {
    process.removeListener('SIGINT', stop)
    process.removeListener('SIGTERM', stop)
  }
  reporter.done('Stopped watching')
  return last
}

/** One develop build (lock, backend, TypeScript, links) and its summary line. */
async function buildAndLink(context: BuildContext, into: string[]): Promise<DevelopResult> {
  const { project, backend, reporter } = context
  const run = await runBuild(context, { into })
  const seconds = (run.durationMs / 1000).toFixed(1)
  const what = run.build.changed ? 'Built' : 'Up to date:'
  reporter.done(`${what} ${project.packageJson.name} (${backend.name}, ${context.release ? 'release' : 'debug'}) in ${seconds}s: ${path.relative(project.root, run.build.artifact)}`)
  return { root: project.root, artifact: run.build.artifact, changed: run.build.changed, compiled: run.typescript.compiled, links: run.links }
}

/**
 * The target dirs named by `--target-dir <dir>` or `--target-dir=<dir>` in
 * the extra cargo arguments (what follows `--`), absolute against `cwd`
 * (the folder cargo runs in: the package root).
 */
export function cargoArgsTargetDirs(cargoArgs: readonly string[] | undefined, cwd: string): string[] {
  const dirs: string[] = []
  const args = cargoArgs ?? []
  args.forEach((arg, i) => {
    if (arg === '--target-dir' && args[i + 1] !== undefined) dirs.push(path.resolve(cwd, args[i + 1]!))
    else if (arg.startsWith('--target-dir=')) dirs.push(path.resolve(cwd, arg.slice('--target-dir='.length)))
  })
  return dirs
}
