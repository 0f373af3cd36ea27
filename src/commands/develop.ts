import path from 'node:path'
import { loadBackend, resolveWasmTarget, type Backend } from '../backends/index.js'
import { findProject, type Project } from '../project/config.js'
import { linkInto } from '../project/link.js'
import { acquireBuildLock } from '../project/lock.js'
import { compileTypeScript } from '../project/typescript.js'
import { assertProjectTools, projectTools } from '../project/tools.js'
import { createReporter, type Reporter } from '../util/reporter.js'

/** Options of {@link develop}; the CLI's `rusty develop` flags map onto these. */
export interface DevelopOptions {
  /** Any folder inside the project (the root or below). Default: process.cwd(). */
  cwd?: string
  /** Build with cargo's release profile (default: dev). */
  release?: boolean
  /** Cargo features to enable. */
  features?: string[]
  /** Cargo's target directory (default: CARGO_TARGET_DIR or `<crate>/target`). */
  targetDir?: string
  /** Extra `cargo build` arguments (what follows `--` on the command line). */
  cargoArgs?: string[]
  /**
   * wasm: the output target (`universal`, `nodejs`, `web`, `bundler`);
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
  /** Whether any file in `native/` changed. */
  changed: boolean
  /** Whether the TypeScript wrapper was recompiled. */
  compiled: boolean
  /** The links made by `into`. */
  links: string[]
}

/**
 * `rusty develop`: builds the crate with cargo through the project's backend,
 * installs the binding into `native/`, compiles the TypeScript wrapper, and
 * optionally links the package into apps. Afterwards the package is importable
 * in place (`import('./dist/index.js')` or its package.json `exports`).
 *
 * @throws RustyError outside a project, for a wasm target the backend does
 *   not have, when cargo or TypeScript fails (the previous build stays in
 *   place), or when a link cannot be made
 */
export async function develop(options: DevelopOptions = {}): Promise<DevelopResult | undefined> {
  const reporter = options.reporter ?? createReporter()
  const project = findProject(options.cwd ?? process.cwd())
  const backend = await loadBackend(project.config.backend)
  const wasmTarget = resolveWasmTarget(backend, project, options.wasmTarget)
  const once = async () => {
    const release = await acquireBuildLock(project, reporter)
    try {
      return await buildAndLink(project, backend, { ...options, wasmTarget }, reporter, Date.now())
    } finally {
      await release()
    }
  }
  if (!options.watch) return once()
  return watchProjectChanges(project, options, reporter, once)
}

/** `develop --watch`: the first build, then one per change, until Ctrl-C or `options.signal`. */
async function watchProjectChanges(
  project: Project,
  options: DevelopOptions,
  reporter: Reporter,
  once: () => Promise<DevelopResult>,
): Promise<DevelopResult | undefined> {
  const { watchProject } = await import('./watch.js')
  const controller = new AbortController()
  const stop = () => controller.abort()
  options.signal?.addEventListener('abort', stop, { once: true })
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const targetDir = path.resolve(options.cwd ?? process.cwd(), options.targetDir ?? process.env.CARGO_TARGET_DIR ?? path.join(project.crateDir, 'target'))
  let last: DevelopResult | undefined
  try {
    await watchProject({
      paths: [project.crateDir, path.join(project.root, 'src'), path.join(project.root, 'tsconfig.json'), path.join(project.root, 'tsconfig.rusty.json')],
      // cargo writes its target dir and Cargo.lock while building; watching them would loop.
      ignored: (file) =>
        file === targetDir ||
        file.startsWith(`${targetDir}${path.sep}`) ||
        /(^|[\\/])(target|node_modules)([\\/]|$)/.test(path.relative(project.root, file)) ||
        path.basename(file) === 'Cargo.lock',
      build: async () => {
        last = await once()
      },
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

async function buildAndLink(
  project: Project,
  backend: Backend,
  options: DevelopOptions,
  reporter: Reporter,
  started: number,
): Promise<DevelopResult> {
  assertProjectTools(project.root, projectTools(project, backend))
  const build = await backend.build({
    project,
    release: options.release ?? false,
    features: options.features ?? [],
    targetDir: options.targetDir === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), options.targetDir),
    cargoArgs: options.cargoArgs ?? [],
    reporter,
    wasmTarget: options.wasmTarget,
  })

  reporter.start('Compiling the TypeScript wrapper')
  const ts = await compileTypeScript(project)
  reporter.done(ts.tsconfig === undefined ? 'No tsconfig.json: skipped TypeScript' : ts.compiled ? 'Compiled the TypeScript wrapper' : 'TypeScript wrapper up to date')

  const links: string[] = []
  for (const app of options.into ?? []) {
    const appDir = path.resolve(options.cwd ?? process.cwd(), app)
    links.push(await linkInto(project, appDir))
    reporter.done(`Linked ${project.packageJson.name} into ${appDir}`)
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const what = build.changed ? 'Built' : 'Up to date:'
  reporter.done(`${what} ${project.packageJson.name} (${backend.name}, ${options.release ? 'release' : 'debug'}) in ${seconds}s: ${path.relative(project.root, build.artifact)}`)
  return { root: project.root, artifact: build.artifact, changed: build.changed, compiled: ts.compiled, links }
}
