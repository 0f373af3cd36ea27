// A small stand-in for a GitHub Actions runner, for end-to-end tests of a
// generated workflow on this machine. It knows nothing about rusty: it reads
// the workflow, picks one job and matrix entry, and runs the steps.
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { parse as parseYaml } from 'yaml'

/** A step as the workflow file writes it. */
interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  with?: Record<string, unknown>
  run?: string
  shell?: string
  env?: Record<string, unknown>
}

/** What happened to one step. */
export interface StepReport {
  /** The step's name, else its `uses`, else its first `run` line. */
  name: string
  status: 'ran' | 'emulated' | 'no-op' | 'skipped'
  /** stdout and stderr of a `run:` step, interleaved. */
  output?: string
  /** Wall-clock time of the step, in milliseconds. */
  ms: number
}

/** Options of {@link runJob}. */
export interface RunJobOptions {
  /** The workflow file. */
  workflow: string
  /** The job's id under `jobs:`. */
  job: string
  /** The matrix entry to run: the `include` entry whose fields all equal these. */
  matrix?: Record<string, string>
  /** What actions/checkout clones (a path or URL git understands). */
  repository: string
  /** The job's workspace: must not exist; checkout clones into it. */
  workspace: string
  /** Where upload-artifact stores and download-artifact finds artifacts, one folder per artifact name. */
  artifacts: string
  /** The environment of `run:` steps (the runner's own environment is not inherited). */
  env: Record<string, string | undefined>
  /** The `github` context: `ref`, `event_name`, ... Default: a push to refs/heads/main. */
  github?: Record<string, string>
}

/**
 * Runs one job of a GitHub Actions workflow on this machine, as a runner
 * would for one matrix entry: every step in order, `if:` conditions and
 * `${{ }}` expressions evaluated (the subset in {@link evaluate}), `run:` steps
 * with `bash --noprofile --norc -eo pipefail` (GitHub's bash) in the
 * workspace, `$GITHUB_OUTPUT` read into `steps.<id>.outputs`. `uses:` steps
 * are emulated: actions/checkout clones `repository`, upload-artifact and
 * download-artifact copy through the `artifacts` folder (their `path`,
 * `pattern` and `merge-multiple` semantics, artifact v4), and every other
 * action (setup-node, caches, toolchains) does nothing.
 *
 * @returns one report per step
 * @throws Error when a step fails (the message holds its output), the job or matrix entry is not found, or an expression is outside the subset
 */
export async function runJob(options: RunJobOptions): Promise<StepReport[]> {
  const workflow = parseYaml(fs.readFileSync(options.workflow, 'utf8')) as { env?: Record<string, unknown>; jobs: Record<string, { env?: Record<string, unknown>; steps: Step[]; strategy?: { matrix?: { include?: Record<string, string>[] } } }> }
  const job = workflow.jobs[options.job]
  if (!job) throw new Error(`The workflow has no job "${options.job}".`)
  let matrix: Record<string, string> = {}
  if (options.matrix) {
    const wanted = Object.entries(options.matrix)
    const entry = job.strategy?.matrix?.include?.find((e) => wanted.every(([k, v]) => e[k] === v))
    if (!entry) throw new Error(`Job "${options.job}" has no matrix entry ${JSON.stringify(options.matrix)}.`)
    matrix = entry
  }
  const runnerTemp = path.join(path.dirname(options.workspace), 'runner-temp')
  const context: Context = {
    matrix,
    github: { ref: 'refs/heads/main', event_name: 'push', workspace: options.workspace, ...options.github },
    runner: { os: 'Linux', arch: 'X64', temp: runnerTemp },
    env: {},
    secrets: {},
    steps: {},
  }
  const env: Record<string, string | undefined> = { ...options.env }
  for (const scope of [workflow.env, job.env]) {
    for (const [k, v] of Object.entries(scope ?? {})) env[k] = interpolate(String(v), context)
  }
  context.env = env
  fs.mkdirSync(runnerTemp, { recursive: true })

  const reports: StepReport[] = []
  let failed = false
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`
    const started = Date.now()
    const condition = step.if === undefined ? 'success()' : stripBraces(String(step.if))
    if (!truthy(evaluate(condition, { ...context, failed }))) {
      reports.push({ name, status: 'skipped', ms: 0 })
      continue
    }
    const stepEnv = { ...env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context)])) }
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]))
    if (step.uses) {
      const status = await emulateAction(step.uses, inputs, options)
      reports.push({ name, status, ms: Date.now() - started })
    } else if (step.run !== undefined) {
      if (step.shell !== undefined && step.shell !== 'bash') throw new Error(`Step "${name}": only bash steps can run here (shell: ${step.shell}).`)
      const outputFile = path.join(runnerTemp, `output-${index}`)
      fs.writeFileSync(outputFile, '')
      const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', interpolate(step.run, context)], {
        cwd: options.workspace,
        env: { ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: options.workspace, CI: 'true', GITHUB_ACTIONS: 'true' },
        extendEnv: false,
        stdin: 'ignore',
        reject: false,
        all: true,
      })
      reports.push({ name, status: 'ran', output: result.all, ms: Date.now() - started })
      if (result.exitCode !== 0) {
        failed = true
        throw new Error(`Step "${name}" of job ${options.job} failed (exit ${result.exitCode}):\n${result.all}`)
      }
      if (step.id) context.steps[step.id] = { outputs: readOutputs(outputFile) }
    }
  }
  return reports
}

type Context = Record<string, Record<string, unknown>> & { matrix: Record<string, unknown>; steps: Record<string, { outputs: Record<string, string> }> }

async function emulateAction(uses: string, inputs: Record<string, string>, options: RunJobOptions): Promise<StepReport['status']> {
  const action = uses.split('@')[0]!
  if (action === 'actions/checkout') {
    await execa('git', ['clone', '--quiet', options.repository, options.workspace], { stdin: 'ignore' })
    return 'emulated'
  }
  if (action === 'actions/upload-artifact') {
    const name = inputs.name ?? 'artifact'
    const paths = (inputs.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(options.workspace, p))
    const existing = paths.filter((p) => fs.existsSync(p))
    if (existing.length === 0) {
      if ((inputs['if-no-files-found'] ?? 'warn') === 'error') throw new Error(`upload-artifact ${name}: no files found at ${paths.join(', ')}`)
      return 'emulated'
    }
    // artifact v4: one directory uploads its contents; several paths keep their paths below their least common ancestor.
    const root = paths.length === 1 && fs.statSync(existing[0]!).isDirectory() ? existing[0]! : commonAncestor(paths)
    const dest = path.join(options.artifacts, name)
    for (const p of existing) fs.cpSync(p, path.join(dest, path.relative(root, p)), { recursive: true })
    return 'emulated'
  }
  if (action === 'actions/download-artifact') {
    const target = path.resolve(options.workspace, inputs.path ?? '.')
    const available = fs.existsSync(options.artifacts) ? fs.readdirSync(options.artifacts) : []
    const names = inputs.name ? [inputs.name] : available.filter((n) => globMatch(inputs.pattern ?? '*', n))
    for (const name of names) {
      const from = path.join(options.artifacts, name)
      if (!fs.existsSync(from)) throw new Error(`download-artifact: no artifact named ${name} (have: ${available.join(', ') || 'none'})`)
      const single = inputs.name !== undefined || inputs['merge-multiple'] === 'true'
      fs.cpSync(from, single ? target : path.join(target, name), { recursive: true })
    }
    return 'emulated'
  }
  // setup-node, caches, toolchains: the machine already has what it has.
  return 'no-op'
}

function commonAncestor(paths: string[]): string {
  let root = path.dirname(paths[0]!)
  while (!paths.every((p) => p === root || p.startsWith(root + path.sep))) root = path.dirname(root)
  return root
}

function globMatch(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return regex.test(name)
}

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return outputs
}

function stripBraces(expression: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expression)
  return m ? m[1]! : expression
}

/** Replaces every `${{ expression }}` in `text` by its value as a string. */
export function interpolate(text: string, context: Record<string, unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => toText(evaluate(expression, context)))
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== ''
}

/**
 * Evaluates a GitHub Actions expression (docs.github.com, "Evaluate
 * expressions in workflows and actions"), the subset workflows use in `if:`
 * and `${{ }}`: string, number and boolean literals, context paths
 * (`matrix.target`, `steps.x.outputs.y`), `!`, `==`, `!=` (strings compared
 * case-insensitively), `&&`, `||` (returning an operand), parentheses, and
 * the functions contains, startsWith, endsWith, format, success, failure,
 * always, cancelled. Unknown context paths are null.
 *
 * @throws Error on anything outside that subset
 */
export function evaluate(expression: string, context: Record<string, unknown>): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[!(),]|[A-Za-z_][\w.-]*|-?\d+(?:\.\d+)?|\S/g) ?? []
  let pos = 0
  const peek = () => tokens[pos]
  const next = () => tokens[pos++]
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`Expression ${expression}: expected ${t}`)
  }
  const or = (): unknown => {
    let left = and()
    while (peek() === '||') {
      next()
      const right = and()
      left = truthy(left) ? left : right
    }
    return left
  }
  const and = (): unknown => {
    let left = equality()
    while (peek() === '&&') {
      next()
      const right = equality()
      left = truthy(left) ? right : left
    }
    return left
  }
  const equality = (): unknown => {
    let left = unary()
    while (peek() === '==' || peek() === '!=') {
      const op = next()
      const right = unary()
      const same = typeof left === 'string' && typeof right === 'string' ? left.toLowerCase() === right.toLowerCase() : left === right
      left = op === '==' ? same : !same
    }
    return left
  }
  const unary = (): unknown => {
    if (peek() === '!') {
      next()
      return !truthy(unary())
    }
    return primary()
  }
  const primary = (): unknown => {
    const token = next()
    if (token === undefined) throw new Error(`Expression ${expression}: unexpected end`)
    if (token === '(') {
      const value = or()
      expect(')')
      return value
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'")
    if (/^-?\d/.test(token)) return Number(token)
    if (token === 'true' || token === 'false') return token === 'true'
    if (token === 'null') return null
    if (peek() === '(') {
      next()
      const args: unknown[] = []
      while (peek() !== ')') {
        args.push(or())
        if (peek() === ',') next()
      }
      expect(')')
      return call(token, args)
    }
    if (!/^[A-Za-z_]/.test(token)) throw new Error(`Expression ${expression}: unexpected ${token}`)
    let value: unknown = context
    for (const key of token.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
    return value ?? null
  }
  const call = (name: string, args: unknown[]): unknown => {
    const text = (v: unknown) => toText(v).toLowerCase()
    switch (name.toLowerCase()) {
      case 'contains':
        return Array.isArray(args[0]) ? args[0].some((v) => text(v) === text(args[1])) : text(args[0]).includes(text(args[1]))
      case 'startswith':
        return text(args[0]).startsWith(text(args[1]))
      case 'endswith':
        return text(args[0]).endsWith(text(args[1]))
      case 'format':
        return toText(args[0]).replace(/\{(\d+)\}/g, (_, i: string) => toText(args[Number(i) + 1]))
      case 'success':
        return !context.failed
      case 'failure':
        return Boolean(context.failed)
      case 'always':
        return true
      case 'cancelled':
        return false
      default:
        throw new Error(`Expression ${expression}: the function ${name} is not supported here`)
    }
  }
  const value = or()
  if (pos !== tokens.length) throw new Error(`Expression ${expression}: unexpected ${tokens[pos]}`)
  return value
}
