import { rustyVersion } from './util/version.js'

/**
 * The `rusty` process's entry (what `bin/rusty.js` runs): `rusty --version`
 * (or `-V`) alone is answered here, from package.json, without loading the
 * command-line parser (commander and the program's definition are most of a
 * start-up that would otherwise cost ~1.3x `node -e 0`); everything else,
 * `--help` included, goes to {@link import('./cli.js').main}, the CLI's
 * parser and error boundary.
 *
 * @param argv `process.argv`: node's path, the script's path, then rusty's arguments
 */
export async function run(argv: string[]): Promise<void> {
  const args = argv.slice(2)
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${rustyVersion()}\n`)
    return
  }
  await (await import('./cli.js')).main(argv)
}
