import path from 'node:path'
import { isRustyError } from '../errors.js'
import type { Reporter } from '../util/reporter.js'

/** What {@link watchProject} watches and runs. */
export interface WatchOptions {
  /** Folders and files whose changes trigger a build (the crate, the TypeScript wrapper). */
  paths: string[]
  /** Paths to pass over: cargo's target dir, Cargo.lock (cargo rewrites it while building). */
  ignored: (file: string) => boolean
  /** One build; a thrown RustyError is reported and watching goes on. */
  build: () => Promise<unknown>
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
 * reported (its diagnostics are already on screen) and the last good build
 * stays in place. Uses chokidar for the file events.
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
      if (!isRustyError(error)) throw error
      if (options.signal?.aborted) return
      reporter.warn(`${error.message}${error.hint ? ` (${error.hint})` : ''}`)
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
