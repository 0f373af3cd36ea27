import { withErrorBoundary } from './boundary.js'

/**
 * rusty's commands, declared once: each action's name (the command
 * function's own name, which src/index.ts exports under it) and its module,
 * imported only when the command runs, so `rusty --version`, `--help` and
 * any one command load nothing else. {@link Actions}, {@link ACTION_NAMES},
 * the parser's fakes (`actionsCalling`), src/bare-commands.ts and the tests
 * derive from this table; src/cli.ts says which argv reaches each action.
 */
const COMMANDS = {
  newProject: async () => (await import('./commands/new.js')).newProject,
  develop: async () => (await import('./commands/develop.js')).develop,
  init: async () => (await import('./commands/init.js')).init,
  doctor: async () => (await import('./commands/doctor.js')).doctor,
  build: async () => (await import('./commands/build.js')).build,
  version: async () => (await import('./commands/version.js')).version,
  publish: async () => (await import('./commands/publish.js')).publish,
  ciGithub: async () => (await import('./commands/ci-github.js')).ciGithub,
}

/** The name of an action (a key of the command table), e.g. `newProject`, `ciGithub`. */
export type ActionName = keyof typeof COMMANDS

/** The options object of action `Name`: its command function's first parameter (e.g. `DevelopOptions`). */
export type ActionOptions<Name extends ActionName> = NonNullable<Parameters<Awaited<ReturnType<(typeof COMMANDS)[Name]>>>[0]>

/** What each parsed command runs; tests pass fakes to check the parsing alone. */
export type Actions = { [Name in ActionName]: (options: ActionOptions<Name>) => Promise<unknown> }

/** Every action's name, in the table's order. */
export const ACTION_NAMES = Object.keys(COMMANDS) as ActionName[]

/**
 * Actions that each hand their name and options to `call`: the real ones
 * ({@link defaultActions}) and the parser's fakes (recorders) are all made
 * this way, so none lists the commands again.
 */
export function actionsCalling(call: (name: ActionName, options: object) => Promise<unknown>): Actions {
  return Object.fromEntries(ACTION_NAMES.map((name) => [name, (options: object) => call(name, options)])) as Actions
}

/** The real commands, each imported when it runs. */
export const defaultActions: Actions = actionsCalling(async (name, options) => {
  const command = (await COMMANDS[name]()) as (options: object) => Promise<unknown>
  return command(options)
})

/**
 * Runs the real action `name` with `options`, inside the CLI's one error
 * boundary ({@link withErrorBoundary}): what src/main.ts does for a bare
 * command, with the options the parser would have given it.
 */
export async function runAction(name: ActionName, options: object): Promise<void> {
  const run = defaultActions[name] as (options: object) => Promise<unknown>
  await withErrorBoundary(() => run(options))
}
