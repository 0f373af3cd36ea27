import { userPackageManager } from '../util/package-manager.js'
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { loadBackend, type Backend } from '../backends/index.js'
import { CancelledError, RustyError } from '../errors.js'
import { BACKEND_NAMES } from '../project/config.js'
import { mergeCargoManifest } from '../project/cargo-manifest.js'
import { validateProjectName } from '../project/names.js'
import { createPackageJson, createTemplateContext } from '../project/package-json.js'
import { renderTemplates, type RenderedFiles } from '../project/templates.js'
import { writeFileAtomic } from '../util/files.js'
import { createReporter, type Reporter } from '../util/reporter.js'

/** Options of {@link init}. */
export interface InitOptions {
  /** The existing package or crate folder, relative to `cwd`. Default: `cwd`. */
  dir?: string
  cwd?: string
  /** napi, koffi or wasm. Default: napi (asked for when interactive). */
  backend?: string
  /** Accept every default without asking. */
  yes?: boolean
  /** false never prompts (also the case without a TTY on stdin). */
  interactive?: boolean
  reporter?: Reporter
}

/** What {@link init} did; paths relative to the folder. */
export interface InitResult {
  dir: string
  /** `npm-package` (rust/ added) or `rust-crate` (the TS package added around it). */
  startingPoint: 'npm-package' | 'rust-crate'
  created: string[]
  /** Files that already existed and were left as they were. */
  skipped: string[]
  /** Existing files that were edited (package.json, Cargo.toml). */
  edited: string[]
}

/**
 * `rusty init`: adds rusty to an existing npm package (a `rust/` crate from the
 * backend's template, the `"rusty"` block, scripts, the backend's fields) or
 * to an existing Rust library crate (the TypeScript package around it, and
 * the backend's dependencies and `cdylib` added to its Cargo.toml). It never
 * overwrites a file: existing ones are listed as skipped; package.json and
 * Cargo.toml are only added to (their existing values win).
 *
 * @throws RustyError (exit 2) when the folder has a `"rusty"` block already,
 *   holds neither package.json nor Cargo.toml, is a CommonJS package, or its
 *   name is not valid for npm and Cargo
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const reporter = options.reporter ?? createReporter()
  const dir = path.resolve(options.cwd ?? process.cwd(), options.dir ?? '.')
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new RustyError(`Cannot init ${dir}: not a folder.`, { exitCode: 2 })
  const packageJsonPath = path.join(dir, 'package.json')
  const cargoPath = path.join(dir, 'Cargo.toml')
  const pkg = fs.existsSync(packageJsonPath) ? (JSON.parse(fs.readFileSync(packageJsonPath, 'utf8')) as Record<string, unknown>) : undefined
  if (pkg?.rusty !== undefined) throw new RustyError(`${packageJsonPath} already has a "rusty" block; this is a rusty project.`, { exitCode: 2 })
  if (!pkg && !fs.existsSync(cargoPath)) {
    throw new RustyError(`Cannot init ${dir}: it has neither a package.json nor a Cargo.toml.`, {
      exitCode: 2,
      hint: 'Use `rusty new <dir>` for a new project.',
    })
  }
  if (pkg && pkg.type !== 'module') {
    throw new RustyError(`${packageJsonPath} is a CommonJS package; rusty packages are ES modules.`, {
      exitCode: 2,
      hint: 'Add "type": "module" to package.json (and move CommonJS files to .cjs), then run rusty init again.',
    })
  }
  const startingPoint = pkg ? 'npm-package' : 'rust-crate'
  const name = pkg ? String(pkg.name ?? '') : crateNameOf(cargoPath)
  const names = validateProjectName(name)
  const backend = await chooseBackend(options)
  const crateDir = pkg ? 'rust' : '.'
  const context = createTemplateContext(names, backend, { crateDir, description: pkg?.description as string | undefined })

  // From an npm package: the backend's whole template (its crate and wrapper).
  // From a crate: the TypeScript package only, with a wrapper and a test that
  // assume nothing about the crate's exports, plus the crate's build files.
  const rendered = await renderTemplates(pkg ? ['common', backend.name] : ['common', backend.name, 'init'], {
    ...context,
    backendLabel: backend.label,
    nativeImport: backend.nativeImport,
  })
  const planned: RenderedFiles = new Map()
  for (const [file, content] of rendered) {
    if (pkg) planned.set(file, content)
    else if (file.startsWith('rust/')) {
      const inCrate = file.slice('rust/'.length)
      if (!inCrate.startsWith('src/') && inCrate !== 'Cargo.toml') planned.set(inCrate, content)
    } else planned.set(file, content)
  }

  const result: InitResult = { dir, startingPoint, created: [], skipped: [], edited: [] }
  // Compute every edit before writing anything, so a refusal changes nothing.
  let cargoEdit: string | undefined
  if (!pkg) {
    const merged = mergeCargoManifest(fs.readFileSync(cargoPath, 'utf8'), String(rendered.get('rust/Cargo.toml')), cargoPath)
    if (merged.added.length > 0) cargoEdit = merged.text
  }
  const nextPackage = mergePackageJson(pkg, createPackageJson(context, backend))

  for (const [file, content] of [...planned].sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(dir, ...file.split('/'))
    if (fs.existsSync(target)) {
      result.skipped.push(file)
      continue
    }
    await writeFileAtomic(target, typeof content === 'string' ? content : Buffer.from(content))
    result.created.push(file)
  }
  if (cargoEdit !== undefined) {
    await writeFileAtomic(cargoPath, cargoEdit)
    result.edited.push('Cargo.toml')
  }
  await writeFileAtomic(packageJsonPath, `${JSON.stringify(nextPackage, null, 2)}\n`)
  ;(pkg ? result.edited : result.created).push('package.json')

  reporter.done(`Added rusty (${backend.name}) to ${names.npmName} in ${dir}`)
  if (result.created.length) reporter.info(`Created: ${result.created.join(', ')}`)
  if (result.edited.length) reporter.info(`Edited: ${result.edited.join(', ')}`)
  if (result.skipped.length) reporter.warn(`Skipped (already there, left unchanged): ${result.skipped.join(', ')}`)
  if (pkg && result.skipped.includes('src/index.ts')) {
    reporter.info(`To export the Rust binding, add \`export * from '${backend.nativeImport}'\` to src/index.ts.`)
  }
  const pm = userPackageManager()
  reporter.info(`Next: ${pm.format('install')} && ${pm.format('execute-local', ['rusty', 'develop'])}`)
  return result
}

/** package.json with the rusty fields added; every existing value wins. */
function mergePackageJson(existing: Record<string, unknown> | undefined, fresh: Record<string, unknown>): Record<string, unknown> {
  if (!existing) return fresh
  const merged: Record<string, unknown> = { ...existing, rusty: fresh.rusty }
  for (const key of ['scripts', 'devDependencies', 'dependencies', 'napi', 'imports']) {
    if (fresh[key] === undefined) continue
    merged[key] = { ...(fresh[key] as object), ...((existing[key] as object | undefined) ?? {}) }
  }
  if (Array.isArray(existing.files) && !existing.files.includes('native')) merged.files = [...existing.files, 'native']
  // A package with no entry point gets the compiled wrapper as its entry.
  if (existing.main === undefined && existing.exports === undefined) {
    for (const key of ['main', 'types', 'exports']) merged[key] = fresh[key]
  }
  return merged
}

function crateNameOf(cargoPath: string): string {
  const manifest = parseToml(fs.readFileSync(cargoPath, 'utf8')) as { package?: { name?: string } }
  if (!manifest.package?.name) throw new RustyError(`${cargoPath} has no [package] name (a workspace root?); run rusty init in the crate's folder.`, { exitCode: 2 })
  return manifest.package.name
}

async function chooseBackend(options: InitOptions): Promise<Backend> {
  const interactive = options.interactive !== false && options.yes !== true && process.stdin.isTTY === true
  if (options.backend || !interactive) return loadBackend(options.backend ?? 'napi')
  const prompts = await import('@clack/prompts')
  const choices = await Promise.all(BACKEND_NAMES.map((n) => loadBackend(n)))
  const answer = await prompts.select({
    message: 'Which backend?',
    initialValue: 'napi',
    options: choices.map((b) => ({ value: b.name, label: b.label })),
  })
  if (prompts.isCancel(answer)) {
    prompts.cancel('Cancelled: nothing was written.')
    throw new CancelledError()
  }
  return loadBackend(answer)
}
