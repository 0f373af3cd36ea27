import path from 'node:path'
import type { Reporter } from '../util/reporter.js'

/** What {@link watchProject} watches and runs. */
export interface WatchOptions {
  /** Folders and files whose changes trigger a build (the crate, the TypeScript wrapper). */
  paths: string[]
  /** Paths to pass over: cargo's target dir, Cargo.lock (cargo rewrites it while building). */
  ignored: (file: string) => boolean
  /** One build; whatever it throws is given to `reportError`, and watching goes on. */
  build: () => Promise<unknown>
  /**
   * Prints an error of a build or of the watcher, as the CLI's boundary
   * would (develop passes src/boundary.ts's report; util/ sits below it).
   */
  reportError: (error: unknown) => void
  reporter: Reporter
  /**
   * Quiet time after the last change before a build starts, in ms (default
   * 10: enough for an editor's write-and-rename of one save, little next to
   * cargo's incremental build).
   */
  debounceMs?: number
  /** Aborting it stops watching (the CLI aborts on Ctrl-C). */
  signal?: AbortSignal
}

/**
 * Runs `build` once, then again whenever a watched file changes, until
 * `signal` aborts. Changes are debounced; builds never overlap: a change
 * during a build queues exactly one more build after it. A failed build is
 * reported (its diagnostics are already on screen; the error through
 * `reportError`, as the CLI's boundary prints it) and the last good build stays
 * in place. Uses chokidar for the file events.
 *
 * @returns when watching has stopped
 */
export async function watchProject(options: WatchOptions): Promise<void> {
  const { watch } = await import('chokidar')
  const { reporter } = options
  let running: Promise<void> | undefined
  let queued = false
  let timer: NodeJS.Timeout | undefined

  const runBuild = async () => {
    try {
      await options.build()
    } catch (error) {
      if (options.signal?.aborted) return
      // Any error, a bug's included: one that escaped here would end the
      // process with Node's raw crash and stop watching, with nothing to
      // gain (the next change starts a fresh build).
      options.reportError(error)
      reporter.warn('Build failed; the last good build stays in place. Watching for changes.')
    }
  }
  const trigger = () => {
    if (options.signal?.aborted) return
    if (running) {
      queued = true
      return
    }
    running = (async () => {
      do {
        queued = false
        await runBuild()
      } while (queued && !options.signal?.aborted)
      running = undefined
      if (!options.signal?.aborted) reporter.info('Watching for changes (Ctrl-C to stop)')
    })()
  }

  const watcher = watch(options.paths, { ignoreInitial: true, ignored: options.ignored })
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  // A watcher's own error (the system's limit of inotify watches, a folder
  // that became unreadable) is reported; without a listener it would end
  // the process. The files watched until then stay watched.
  watcher.on('error', (error) => {
    options.reportError(error)
    reporter.warn('Watching goes on for the files still watched.')
  })
  watcher.on('all', (_event, file) => {
    if (options.ignored(file)) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      reporter.info(`Changed: ${path.basename(file)}`)
      trigger()
    }, options.debounceMs ?? 10)
  })
  trigger()

  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve()
    options.signal?.addEventListener('abort', () => resolve(), { once: true })
  })
  clearTimeout(timer)
  await watcher.close()
  await running
}

/** Folders at the package root that rusty itself writes: build state, the binding, the compiled wrapper, release artifacts. */
const OWN_OUTPUTS = new Set(['.rusty', 'native', 'dist', 'artifacts'])
/** Folder names never watched wherever they are: cargo's default target dir, installed packages, git's store. */
const NEVER_WATCHED = new Set(['target', 'node_modules', '.git'])

/**
 * What `develop --watch` passes over: everything a build writes, so that a
 * build never triggers the next one. That is rusty's own outputs at the
 * package root ({@link OWN_OUTPUTS}), every cargo target dir given
 * (`--target-dir`, CARGO_TARGET_DIR, wherever they are), any folder named
 * `target`, `node_modules` or `.git`, and `Cargo.lock` (cargo rewrites it
 * while building). Needed when the crate is the package root (`"crate": "."`,
 * what `rusty init` makes from a crate), where the watched folder holds all
 * of these.
 *
 * @param root the package root (absolute)
 * @param targetDirs cargo target dirs (absolute)
 * @returns a predicate on absolute paths: true to ignore
 */
export function buildOutputsFilter(root: string, targetDirs: string[]): (file: string) => boolean {
  return (file) => {
    if (path.basename(file) === 'Cargo.lock') return true
    if (targetDirs.some((dir) => file === dir || file.startsWith(`${dir}${path.sep}`))) return true
    const segments = path.relative(root, file).split(path.sep)
    if (segments[0] !== undefined && OWN_OUTPUTS.has(segments[0])) return true
    return segments.some((segment) => NEVER_WATCHED.has(segment))
  }
}
