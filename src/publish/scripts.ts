import { execa } from 'execa'
import { RustyError } from '../errors.js'
import type { Project } from '../project/config.js'
import type { Reporter } from '../util/reporter.js'
import { projectPackageManager } from '../util/package-manager.js'

/**
 * The package's scripts `npm publish` runs before it packs, in npm's order
 * (npm docs, "scripts": Life Cycle Operation Order, `npm publish`).
 * `rusty publish` runs them in the package root before it stages anything,
 * since they prepare the package there (compile, test, check); the staged
 * copies are then published with `--ignore-scripts`, so no script ever runs
 * in `.rusty/publish/`.
 */
export const BEFORE_PUBLISH_SCRIPTS = ['prepublishOnly', 'prepack', 'prepare'] as const

/**
 * The script `npm publish` runs once the tarball is packed (npm docs,
 * "scripts"): `rusty publish` runs it in the package root once every
 * package is staged and checked, also when staging failed, since it often
 * undoes what `prepack` did (clean-package's `restore`, removing a copied
 * README).
 */
export const AFTER_PACK_SCRIPTS = ['postpack'] as const

/** The scripts `npm publish` runs after the upload, in the package root, once every package is published. */
export const AFTER_PUBLISH_SCRIPTS = ['publish', 'postpublish'] as const

// Set for the scripts rusty runs: a `rusty publish` inside one of them would publish twice.
const RUNNING = 'RUSTY_PUBLISH_SCRIPT'

/**
 * Runs the package's `names` scripts that exist, one after the other, with
 * `npm run <name>` in the package root; their output goes to stderr (stdout
 * stays for results). Runs none when npm itself is running one of the
 * package's publish scripts (`npm_lifecycle_event`: the user ran
 * `npm publish`, whose `prepublishOnly` started `rusty publish`), since npm
 * runs them.
 *
 * @returns the scripts that ran
 * @throws RustyError (exit 2) when `rusty publish` was started from a script
 *   that `rusty publish` itself runs (it would publish twice)
 * @throws RustyError naming the script when one fails; nothing was uploaded
 *   before the scripts that run first, and after the upload the packages stay published
 */
export async function runLifecycleScripts(project: Project, names: readonly string[], reporter: Reporter, when: 'before' | 'after'): Promise<string[]> {
  const scripts = (project.packageJson.scripts ?? {}) as Record<string, unknown>
  const present = names.filter((name) => typeof scripts[name] === 'string' && scripts[name] !== '')
  if (present.length === 0) return []
  if (process.env[RUNNING]) {
    throw new RustyError(`\`rusty publish\` was started by the package's "${process.env[RUNNING]}" script, which \`rusty publish\` runs itself.`, {
      exitCode: 2,
      hint: `Remove \`rusty publish\` from the "${process.env[RUNNING]}" script in package.json.`,
    })
  }
  const event = process.env.npm_lifecycle_event
  if (event && [...BEFORE_PUBLISH_SCRIPTS, ...AFTER_PACK_SCRIPTS, ...AFTER_PUBLISH_SCRIPTS].includes(event as never)) {
    reporter.info(`Not running the package's ${present.join(', ')} script${present.length === 1 ? '' : 's'}: npm is already running its "${event}" script`)
    return []
  }
  for (const name of present) {
    reporter.start(`Running the package's ${name} script in ${project.root}`)
    const result = await execa('npm', ['run', name], {
      cwd: project.root,
      stdin: 'ignore',
      stdout: process.stderr,
      stderr: process.stderr,
      reject: false,
      env: { [RUNNING]: name },
    })
    if (result.failed) {
      throw new RustyError(`The package's ${name} script failed (\`npm run ${name}\`, exit code ${result.exitCode ?? result.signal}).${when === 'before' ? ' Nothing was published.' : ''}`, {
        hint: when === 'before' ? `Fix the script (its output is above), then run \`rusty publish\` again.` : `Every package is published; fix the script and run \`${projectPackageManager(project.root).format('run', [name])}\` yourself.`,
      })
    }
    reporter.done(`Ran the package's ${name} script`)
  }
  return present
}
