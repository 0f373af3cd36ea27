// Runs the real commander program with fake actions, so tests check parsing alone.
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings'
import { actionsCalling, type ActionName, type ActionOptions } from '../src/actions.js'
import { createProgram } from '../src/cli.js'

/** What each command received, by action name (`newProject`, `develop`, ...). */
export type Seen = { [Name in ActionName]?: ActionOptions<Name> }

/** Parses argv with fake actions; returns the options each command would have received. Throws on a parse error. */
export async function parse(args: string[]): Promise<Seen> {
  const seen: Record<string, object> = {}
  const program = createProgram(actionsCalling(async (name, options) => (seen[name] = options)))
  program.exitOverride()
  const quiet = (command: Command) => {
    command.exitOverride()
    command.configureOutput({ writeErr: () => {}, writeOut: () => {} })
    command.commands.forEach(quiet)
  }
  quiet(program)
  await program.parseAsync(['node', 'rusty', ...args])
  return seen as Seen
}
