import type { BuildCommandOptions } from './commands/build.js'
import type { CiGithubOptions } from './commands/ci-github.js'
import type { DevelopOptions } from './commands/develop.js'
import type { DoctorOptions } from './commands/doctor.js'
import type { InitOptions } from './commands/init.js'
import type { NewOptions } from './commands/new.js'
import type { PublishOptions } from './commands/publish.js'
import type { VersionOptions } from './commands/version.js'
import { withErrorBoundary } from './boundary.js'

/** What each parsed command runs; tests pass fakes to check the parsing alone. */
export interface Actions {
  newProject(options: NewOptions): Promise<unknown>
  develop(options: DevelopOptions): Promise<unknown>
  init(options: InitOptions): Promise<unknown>
  doctor(options: DoctorOptions): Promise<unknown>
  build(options: BuildCommandOptions): Promise<unknown>
  version(options: VersionOptions): Promise<unknown>
  publish(options: PublishOptions): Promise<unknown>
  ciGithub(options: CiGithubOptions): Promise<unknown>
}

/** The name of one of {@link Actions}' methods. */
export type ActionName = keyof Actions

/**
 * The real commands. Each command module is imported only when its command
 * runs, so `rusty --version`, `--help` and any one command load nothing else.
 */
export const defaultActions: Actions = {
  newProject: async (options) => (await import('./commands/new.js')).newProject(options),
  develop: async (options) => (await import('./commands/develop.js')).develop(options),
  init: async (options) => (await import('./commands/init.js')).init(options),
  doctor: async (options) => (await import('./commands/doctor.js')).doctor(options),
  build: async (options) => (await import('./commands/build.js')).build(options),
  version: async (options) => (await import('./commands/version.js')).version(options),
  publish: async (options) => (await import('./commands/publish.js')).publish(options),
  ciGithub: async (options) => (await import('./commands/ci-github.js')).ciGithub(options),
}

/**
 * Runs the real action `name` with `options`, inside the CLI's one error
 * boundary ({@link withErrorBoundary}): what src/main.ts does for a bare
 * command, with the options the parser would have given it.
 */
export async function runAction(name: ActionName, options: unknown): Promise<void> {
  const run = defaultActions[name] as (options: unknown) => Promise<unknown>
  await withErrorBoundary(() => run(options))
}
