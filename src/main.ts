import fs from 'node:fs'
import { bareCommandFor, type BareCommand, type BareCommands } from './bare-commands.js'
import { helpPageFor, helpRequest, type HelpPages } from './help-pages.js'

/**
 * The `rusty` process's entry (what `bin/rusty.js` runs). Three cases skip
 * the command-line parser (commander and the program's definition: ~130 KB
 * of code to compile and run, most of a start-up that would otherwise cost
 * ~1.3x `node -e 0`): `rusty --version` (or `-V`) alone, from package.json;
 * the help of the program or of one command, from the pages rendered at
 * build time (`dist/help.json`, see `help-pages.ts`), when they are what
 * commander would print at this terminal's width; and a command given no
 * arguments (`rusty develop`, the one run again and again), with the options
 * the parser gives it, recorded at build time (`dist/bare-commands.json`,
 * see `bare-commands.ts`), inside the same error boundary. Everything else
 * goes to {@link import('./cli.js').main}, the parser and error boundary.
 *
 * @param argv `process.argv`: node's path, the script's path, then rusty's arguments
 */
export async function run(argv: string[]): Promise<void> {
  const args = argv.slice(2)
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    // This file is one folder below the package root both as dist/main.js and
    // as src/main.ts; reading it here keeps every shared chunk out of the start.
    const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    process.stdout.write(`${version}\n`)
    return
  }
  const help = helpRequest(args) === undefined ? undefined : prebuiltHelp(args)
  if (help !== undefined) {
    process.stdout.write(help)
    return
  }
  const bare = prebuiltBareCommand(args)
  if (bare !== undefined) {
    await (await import('./actions.js')).runAction(bare.action, bare.options)
    return
  }
  await (await import('./cli.js')).main(argv)
}

/** The bare command `args` names, from `bare-commands.json` beside this file, or undefined (no file: running from src/). */
function prebuiltBareCommand(args: string[]): BareCommand | undefined {
  if (args.length !== 1) return undefined
  let bare: BareCommands
  try {
    bare = JSON.parse(fs.readFileSync(new URL('./bare-commands.json', import.meta.url), 'utf8')) as BareCommands
  } catch {
    return undefined
  }
  return bareCommandFor(bare, args)
}

/** The help page for `args` from `help.json` beside this file, or undefined (no file: running from src/). */
function prebuiltHelp(args: string[]): string | undefined {
  let pages: HelpPages
  try {
    pages = JSON.parse(fs.readFileSync(new URL('./help.json', import.meta.url), 'utf8')) as HelpPages
  } catch {
    return undefined
  }
  return helpPageFor(pages, args, process.stdout.isTTY ? process.stdout.columns : undefined)
}
