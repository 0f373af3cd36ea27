import fs from 'node:fs'
import { helpPageFor, helpRequest, type HelpPages } from './help-pages.js'
import { rustyVersion } from './util/version.js'

/**
 * The `rusty` process's entry (what `bin/rusty.js` runs). Two answers come
 * without loading the command-line parser (commander and the program's
 * definition, most of a start-up that would otherwise cost ~1.3x
 * `node -e 0`): `rusty --version` (or `-V`) alone, from package.json, and
 * the help of the program or of one command, from the pages rendered at
 * build time (`dist/help.json`, see `help-pages.ts`), when they are what
 * commander would print at this terminal's width. Everything else goes to
 * {@link import('./cli.js').main}, the parser and error boundary.
 *
 * @param argv `process.argv`: node's path, the script's path, then rusty's arguments
 */
export async function run(argv: string[]): Promise<void> {
  const args = argv.slice(2)
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${rustyVersion()}\n`)
    return
  }
  const help = helpRequest(args) === undefined ? undefined : prebuiltHelp(args)
  if (help !== undefined) {
    process.stdout.write(help)
    return
  }
  await (await import('./cli.js')).main(argv)
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
