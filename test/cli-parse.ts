// Runs the real commander program with fake actions, so tests check parsing alone.
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings'
import { createProgram, type Actions } from '../src/cli.js'
import type { BuildCommandOptions } from '../src/commands/build.js'
import type { CiGithubOptions } from '../src/commands/ci-github.js'
import type { DevelopOptions } from '../src/commands/develop.js'
import type { InitOptions } from '../src/commands/init.js'
import type { NewOptions } from '../src/commands/new.js'
import type { PublishOptions } from '../src/commands/publish.js'
import type { VersionOptions } from '../src/commands/version.js'

/** What each command received. */
export interface Seen {
  ciGithub?: CiGithubOptions
  init?: InitOptions
  newProject?: NewOptions
  develop?: DevelopOptions
  build?: BuildCommandOptions
  version?: VersionOptions
  publish?: PublishOptions
}

/** Parses argv with fake actions; returns the options each command would have received. Throws on a parse error. */
export async function parse(args: string[]): Promise<Seen> {
  const seen: Seen = {}
  const actions: Actions = {
    newProject: async (options) => (seen.newProject = options),
    develop: async (options) => (seen.develop = options),
    doctor: async () => undefined,
    init: async (options) => (seen.init = options),
    ciGithub: async (options) => (seen.ciGithub = options),
    build: async (options) => (seen.build = options),
    version: async (options) => (seen.version = options),
    publish: async (options) => (seen.publish = options),
  }
  const program = createProgram(actions)
  program.exitOverride()
  const quiet = (command: Command) => {
    command.exitOverride()
    command.configureOutput({ writeErr: () => {}, writeOut: () => {} })
    command.commands.forEach(quiet)
  }
  quiet(program)
  await program.parseAsync(['node', 'rusty', ...args])
  return seen
}

