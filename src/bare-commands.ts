import type { CommandUnknownOpts } from '@commander-js/extra-typings'
import { actionsCalling, type ActionName, type Actions } from './actions.js'

/** What the parser does with `rusty <command>` and nothing else: which action it calls, with what options. */
export interface BareCommand {
  action: ActionName
  /** The options object, as JSON has it (a key whose value is undefined is absent). */
  options: Record<string, unknown>
}

/**
 * `dist/bare-commands.json`: for each command the parser runs when it is
 * given no arguments at all (`rusty develop`, `rusty build`, `rusty doctor`,
 * ...), the action and options the parser hands over, recorded at build time
 * by running the program itself (`scripts/bundle.mjs`), so src/main.ts runs
 * those without loading commander. Keys are command names.
 */
export type BareCommands = Record<string, BareCommand>

/**
 * Runs `rusty <name>` through a fresh program for each of its top-level
 * commands, with actions that only record what they are given, and returns
 * the commands whose action ran. A command that needs an argument (`version`)
 * or only groups others (`ci`) makes commander print an error or its help
 * instead: it is left out, and that output is discarded; so is one with an
 * option whose default comes from the environment.
 *
 * @param createProgram the CLI's `createProgram` (src/cli.ts)
 */
export async function recordBareCommands(createProgram: (actions: Actions) => CommandUnknownOpts): Promise<BareCommands> {
  const bare: BareCommands = {}
  for (const command of createProgram(recorder(() => {})).commands) {
    // An option that reads the environment (commander's Option.env) would be
    // recorded with the build machine's value: such a command goes to the parser.
    if (command.options.some((option) => option.envVar !== undefined)) continue
    const name = command.name()
    let recorded: BareCommand | undefined
    const program = createProgram(recorder((action, options) => (recorded = { action, options })))
    silence(program)
    try {
      await program.parseAsync(['node', 'rusty', name])
    } catch {
      // commander's exit (exitOverride): the command did not run.
    }
    if (recorded) bare[name] = { action: recorded.action, options: JSON.parse(JSON.stringify(recorded.options)) as Record<string, unknown> }
  }
  return bare
}

/**
 * The bare command `args` names (one argument, a command name that is an own
 * key of `bare`), or undefined.
 */
export function bareCommandFor(bare: BareCommands, args: string[]): BareCommand | undefined {
  if (args.length !== 1) return undefined
  const name = args[0]!
  return Object.hasOwn(bare, name) ? bare[name] : undefined
}

/** Actions that pass each call to `record` and do nothing else. */
function recorder(record: (action: ActionName, options: Record<string, unknown>) => void): Actions {
  return actionsCalling(async (action, options) => {
    record(action, { ...options })
  })
}

/** Makes `command` and its subcommands throw instead of exiting, and print nothing. */
function silence(command: CommandUnknownOpts): void {
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} })
  for (const sub of command.commands) silence(sub)
}
