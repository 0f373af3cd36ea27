import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'
import { writeFileAtomic } from '../util/files.js'
import { commandScope } from '../project/scope.js'
import type { Reporter } from '../util/reporter.js'
import { WORKFLOW_FILE, githubWorkflow } from '../workflows/github.js'

/** Options of {@link ciGithub}. */
export interface CiGithubOptions {
  /** Any folder inside the project. Default: process.cwd(). */
  cwd?: string
  /** Print the workflow instead of writing it. */
  stdout?: boolean
  reporter?: Reporter
}

/**
 * `rusty ci github`: writes `.github/workflows/rusty.yml` for the project's
 * backend (see `githubWorkflow`), or prints it with `stdout`.
 *
 * @returns the YAML, and the file written (undefined with `stdout`)
 * @throws RustyError (exit 2) when the file exists with other content: it is never overwritten
 */
export async function ciGithub(options: CiGithubOptions = {}): Promise<{ file?: string; yaml: string }> {
  const { project, reporter } = commandScope(options)
  const yaml = githubWorkflow({ backend: project.config.backend, packageName: project.packageJson.name, crate: project.config.crate })
  if (options.stdout) {
    process.stdout.write(yaml)
    return { yaml }
  }
  const file = path.join(project.root, WORKFLOW_FILE)
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
  if (current !== undefined && current !== yaml) {
    throw new RustyError(`${file} exists and differs from what rusty would write; it was left unchanged.`, {
      exitCode: 2,
      hint: 'Run `rusty ci github --stdout` to see the new workflow, or delete the file first.',
    })
  }
  await writeFileAtomic(file, yaml)
  reporter.done(`${current === undefined ? 'Wrote' : 'Up to date:'} ${WORKFLOW_FILE} (${project.config.backend})`)
  return { file, yaml }
}
