import path from 'node:path'
import { execa } from 'execa'
import { DEFAULT_BACKEND, backendInfo } from '../project/backend-table.js'
import { RustyError } from '../errors.js'
import { validateProjectName } from '../project/names.js'
import { canPrompt, openPrompts } from '../project/prompts.js'
import { assertEmptyTarget, writeProject } from '../project/scaffold.js'
import { assertNotOwnDependency, createPackageJson, createTemplateContext } from '../project/package-json.js'
import { renderTemplates } from '../project/templates.js'
import { packageManagerFiles } from '../project/package-manager-files.js'
import { WORKFLOW_FILE, githubWorkflow } from '../workflows/github.js'
import { createReporter, type Reporter } from '../util/reporter.js'
import { shellWord, userPackageManager, type PackageManager } from '../util/package-manager.js'

/** Options of {@link newProject}; the CLI's `rusty new` flags map onto these. */
export interface NewOptions {
  /** Folder to create, relative to `cwd`. Asked for when interactive and missing. */
  dir?: string
  /** Folder `dir` is relative to. Default: process.cwd(). */
  cwd?: string
  /** Package name. Default: the folder's name. */
  name?: string
  /** napi, koffi or wasm. Default: napi. */
  backend?: string
  /** package.json / Cargo.toml description. */
  description?: string
  /** Accept every default without asking. */
  yes?: boolean
  /** false never prompts (also the case without a TTY on stdin). */
  interactive?: boolean
  /** false skips `git init`. Default: true. */
  git?: boolean
  /** false skips the GitHub Actions workflow (`rusty ci github`). Default: true (asked when interactive). */
  ci?: boolean
  /**
   * false skips installing the project's dependencies. Default: true (asked
   * when interactive): the package manager rusty was started with installs
   * them, so a lockfile exists (the workflow's `npm ci` needs it).
   */
  install?: boolean
  /** Print the files that would be written, write nothing. */
  dryRun?: boolean
  /** Where progress goes; default: a reporter on stderr. */
  reporter?: Reporter
}

/** What {@link newProject} made (or, with dryRun, would make). */
export interface NewResult {
  /** Absolute path of the project folder. */
  dir: string
  /** npm package name. */
  name: string
  /** Backend name. */
  backend: string
  /** Relative paths of the files, sorted. */
  files: string[]
  /** Whether the files were written (false with dryRun). */
  written: boolean
  /** Whether the dependencies were installed. */
  installed: boolean
  /** The next steps as printed, one shell line, e.g. `cd my-lib && npx rusty develop && npm run test`. */
  next: string
}

/**
 * `rusty new`: creates a mixed TypeScript + Rust project (package.json with a
 * `"rusty"` block, `src/` wrapper, `rust/` crate, tests) in a new folder. The
 * folder appears complete or not at all.
 *
 * Unless `install` is false, the package manager rusty was started with
 * (`src/util/package-manager.ts`) then installs the project's dependencies.
 *
 * @throws RustyError (exit 2) for an invalid name, an unknown backend, a non-empty target folder, or a missing answer without a TTY;
 *   RustyError (exit 1) when the install fails (the project is complete; the hint gives the steps to finish);
 *   CancelledError (exit 130) when a prompt is cancelled
 */
export async function newProject(options: NewOptions = {}): Promise<NewResult> {
  const reporter = options.reporter ?? createReporter()
  const cwd = options.cwd ?? process.cwd()
  const answers = await collectAnswers(options, canPrompt(options))

  const names = validateProjectName(answers.name)
  // The table's entry is all `new` needs: no backend code is loaded.
  const backend = backendInfo(answers.backend)
  const dir = path.resolve(cwd, answers.dir)
  // A link to an empty folder is written through: the project goes into its real folder.
  const writeTo = await assertEmptyTarget(dir)

  const context = createTemplateContext(names, backend, { description: options.description, crateDir: 'rust' })
  const pkg = createPackageJson(context, backend)
  assertNotOwnDependency(pkg)
  const files = await renderTemplates(['common', backend.name], { ...context, backendLabel: backend.label })
  files.set('package.json', `${JSON.stringify(pkg, null, 2)}\n`)
  if (answers.ci) files.set(WORKFLOW_FILE, githubWorkflow({ backend: backend.name, packageName: names.npmName }))
  const pm = userPackageManager()
  for (const [file, content] of packageManagerFiles(pm.agent, backend.builtDependencies ?? [])) files.set(file, content)
  const list = [...files.keys()].sort()

  if (options.dryRun) {
    process.stdout.write(`Would create ${dir} with:\n${list.map((f) => `  ${f}\n`).join('')}`)
    return { dir, name: names.npmName, backend: backend.name, files: list, written: false, installed: false, next: '' }
  }

  await writeProject(writeTo, files)
  reporter.done(`Created ${names.npmName} (${backend.name}) in ${dir}`)
  if (options.git !== false) await initGit(dir, reporter)
  const rel = path.relative(cwd, dir) || '.'
  const steps = (installed: boolean) =>
    [`cd ${shellWord(rel)}`, ...(installed ? [] : [pm.format('install')]), pm.format('execute-local', ['rusty', 'develop']), pm.format('run', ['test'])].join(' && ')
  if (answers.install) await installDependencies(dir, pm, reporter, steps(false))
  const next = steps(answers.install)
  reporter.info(`Next: ${next}`)
  return { dir, name: names.npmName, backend: backend.name, files: list, written: true, installed: answers.install, next }
}

/**
 * Runs the package manager's install in the new project, handing it the
 * terminal (its progress and errors are the user's to see).
 *
 * @throws RustyError (exit 1) when it fails, with the steps to finish by hand as the hint
 */
async function installDependencies(dir: string, pm: PackageManager, reporter: Reporter, steps: string): Promise<void> {
  const { command, args } = pm.resolve('install')
  reporter.handOff(`Installing dependencies (${pm.format('install')})`)
  const result = await execa(command, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], reject: false })
  if (result.failed) {
    const why = result.exitCode === undefined ? (result.code === 'ENOENT' ? `${command} was not found` : result.shortMessage) : `exit code ${result.exitCode}`
    throw new RustyError(`The project is complete, but installing its dependencies failed (${why}).`, { hint: `Next: ${steps}` })
  }
  reporter.done('Installed dependencies')
}

interface Answers {
  dir: string
  name: string
  backend: string
  ci: boolean
  install: boolean
}

async function collectAnswers(options: NewOptions, interactive: boolean): Promise<Answers> {
  if (!interactive) {
    if (!options.dir) {
      throw new RustyError('rusty new needs the folder to create, e.g. `rusty new my-lib`.', {
        exitCode: 2,
        hint: 'Without a terminal rusty cannot ask; pass the folder (and --name, --backend) as arguments.',
      })
    }
    return {
      dir: options.dir,
      name: options.name ?? path.basename(path.resolve(options.dir)),
      backend: options.backend ?? DEFAULT_BACKEND,
      ci: options.ci ?? true,
      install: options.install ?? true,
    }
  }
  const prompts = await openPrompts()
  prompts.intro('rusty new')
  const dir =
    options.dir ??
    (await prompts.text({
      message: 'Where should the project go?',
      placeholder: 'my-lib',
      defaultValue: 'my-lib',
    }))
  const name =
    options.name ??
    (await prompts.text({
      message: 'Package name?',
      initialValue: path.basename(path.resolve(dir)),
      validate: (value) => {
        try {
          validateProjectName(value ?? '')
          return undefined
        } catch (error) {
          return (error as Error).message
        }
      },
    }))
  const backend = options.backend ?? (await prompts.backend())
  const ci = options.ci ?? (await prompts.confirm({ message: 'Add a GitHub Actions workflow (build matrix, tests, publish on tags)?', initialValue: true }))
  const install = options.install ?? (await prompts.confirm({ message: `Install dependencies with ${userPackageManager().agent}?`, initialValue: true }))
  return { dir, name, backend, ci, install }
}

/** `git init` like `cargo new`: skipped inside an existing work tree, and a missing git is only a warning. */
async function initGit(dir: string, reporter: Reporter): Promise<void> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: path.dirname(dir), reject: false })
  if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return
  const result = await execa('git', ['init', '--quiet'], { cwd: dir, reject: false })
  if (result.failed) reporter.warn('git init failed; the project was created without a repository.')
}
