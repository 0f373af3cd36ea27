import path from 'node:path'
import { execa } from 'execa'
import { loadBackend, type Backend } from '../backends/index.js'
import { CancelledError, RustyError } from '../errors.js'
import { BACKEND_NAMES } from '../project/config.js'
import { validateProjectName } from '../project/names.js'
import { assertEmptyTarget, writeProject } from '../project/scaffold.js'
import { createPackageJson, createTemplateContext } from '../project/package-json.js'
import { renderTemplates } from '../project/templates.js'
import { WORKFLOW_FILE } from './ci-github.js'
import { githubWorkflow } from '../workflows/github.js'
import { createReporter, type Reporter } from '../util/reporter.js'

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
}

/**
 * `rusty new`: creates a mixed TypeScript + Rust project (package.json with a
 * `"rusty"` block, `src/` wrapper, `rust/` crate, tests) in a new folder. The
 * folder appears complete or not at all.
 *
 * @throws RustyError (exit 2) for an invalid name, an unknown backend, a non-empty target folder, or a missing answer without a TTY;
 *   CancelledError (exit 130) when a prompt is cancelled
 */
export async function newProject(options: NewOptions = {}): Promise<NewResult> {
  const reporter = options.reporter ?? createReporter()
  const cwd = options.cwd ?? process.cwd()
  const interactive = options.interactive !== false && options.yes !== true && process.stdin.isTTY === true
  const answers = await collectAnswers(options, interactive)

  const names = validateProjectName(answers.name)
  const backend = await loadBackend(answers.backend)
  const dir = path.resolve(cwd, answers.dir)
  await assertEmptyTarget(dir)

  const context = createTemplateContext(names, backend, { description: options.description, crateDir: 'rust' })
  const files = await renderTemplates(['common', backend.name], { ...context, backendLabel: backend.label })
  files.set('package.json', `${JSON.stringify(createPackageJson(context, backend), null, 2)}\n`)
  if (answers.ci) files.set(WORKFLOW_FILE, githubWorkflow({ backend: backend.name, packageName: names.npmName }))
  const list = [...files.keys()].sort()

  if (options.dryRun) {
    process.stdout.write(`Would create ${dir} with:\n${list.map((f) => `  ${f}\n`).join('')}`)
    return { dir, name: names.npmName, backend: backend.name, files: list, written: false }
  }

  await writeProject(dir, files)
  reporter.done(`Created ${names.npmName} (${backend.name}) in ${dir}`)
  if (options.git !== false) await initGit(dir, reporter)
  const rel = path.relative(cwd, dir) || '.'
  reporter.info(`Next: cd ${rel.includes(' ') ? JSON.stringify(rel) : rel} && npm install && npx rusty develop && npm test`)
  return { dir, name: names.npmName, backend: backend.name, files: list, written: true }
}

interface Answers {
  dir: string
  name: string
  backend: string
  ci: boolean
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
      backend: options.backend ?? 'napi',
      ci: options.ci ?? true,
    }
  }
  const prompts = await import('@clack/prompts')
  const check = <T>(value: T): Exclude<T, symbol> => {
    if (prompts.isCancel(value)) {
      prompts.cancel('Cancelled: nothing was written.')
      throw new CancelledError()
    }
    return value as Exclude<T, symbol>
  }
  prompts.intro('rusty new')
  const dir =
    options.dir ??
    check(
      await prompts.text({
        message: 'Where should the project go?',
        placeholder: 'my-lib',
        defaultValue: 'my-lib',
      }),
    )
  const name =
    options.name ??
    check(
      await prompts.text({
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
      }),
    )
  let backend = options.backend
  if (!backend) {
    const choices = await Promise.all(BACKEND_NAMES.map(async (n) => ({ name: n, backend: await loadBackend(n) })))
    backend = check(
      await prompts.select({
        message: 'Which backend?',
        initialValue: 'napi',
        options: choices.map(({ name: n, backend: b }) => ({
          value: n,
          label: b.label,
        })),
      }),
    )
  }
  const ci =
    options.ci ??
    check(await prompts.confirm({ message: 'Add a GitHub Actions workflow (build matrix, tests, publish on tags)?', initialValue: true }))
  return { dir, name, backend: backend as string, ci }
}

/** `git init` like `cargo new`: skipped inside an existing work tree, and a missing git is only a warning. */
async function initGit(dir: string, reporter: Reporter): Promise<void> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: path.dirname(dir), reject: false })
  if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return
  const result = await execa('git', ['init', '--quiet'], { cwd: dir, reject: false })
  if (result.failed) reporter.warn('git init failed; the project was created without a repository.')
}
