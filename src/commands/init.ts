import { projectPackageManager } from '../util/package-manager.js'
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { DEFAULT_BACKEND, backendInfo, type BackendInfo } from '../backends/registry.js'
import { RustyError } from '../errors.js'
import { mergeCargoManifest } from '../project/cargo-manifest.js'
import { readPackageJson } from '../project/config.js'
import { validateProjectName } from '../project/names.js'
import { assertNotOwnDependency, createPackageJson, createTemplateContext } from '../project/package-json.js'
import { canPrompt, openPrompts } from '../project/prompts.js'
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
  /**
   * `npm-package` (rust/ added), `rust-crate` (the TS package added around
   * it) or `napi-rs-package` (package.json and Cargo.toml side by side, as
   * napi-rs's package-template: the crate is used where it is).
   */
  startingPoint: 'npm-package' | 'rust-crate' | 'napi-rs-package'
  created: string[]
  /** Files that already existed and were left as they were. */
  skipped: string[]
  /** Existing files that were edited (package.json, Cargo.toml, napi-rs's loader). */
  edited: string[]
}

/**
 * `rusty init`: adds rusty to an existing npm package (a `rust/` crate from the
 * backend's template, the `"rusty"` block, scripts, the backend's fields), to
 * an existing Rust library crate (the TypeScript package around it, and the
 * backend's build dependencies and `cdylib` added to its Cargo.toml), or to
 * both side by side (napi-rs's package-template: the crate is used where it
 * is, napi-rs's generated loader becomes a re-export of the package, and
 * `main`/`exports` point at rusty's wrapper). A CommonJS package becomes an
 * ES module. When the project has a tsconfig.json, rusty's compiler settings
 * go to `tsconfig.rusty.json`. It never overwrites a file of the user's:
 * existing ones are listed as skipped; package.json and Cargo.toml are only
 * added to (their existing values win, `type` aside).
 *
 * Everything is checked before the first write, so a refusal writes nothing.
 * A package.json starting with a byte order mark is read (and written back
 * without it, as npm writes it).
 *
 * @throws RustyError (exit 2) when the folder has a `"rusty"` block already,
 *   holds neither package.json nor Cargo.toml, is a CommonJS package with
 *   `.js` files that use require/module.exports (listed), or its name is not
 *   valid for npm and Cargo; RustyError (exit 1) when package.json is not a
 *   JSON object or Cargo.toml not valid TOML (naming the file and the error),
 *   or when a file stands where init puts a folder (`test`, `rust`, `src`)
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const reporter = options.reporter ?? createReporter()
  const dir = path.resolve(options.cwd ?? process.cwd(), options.dir ?? '.')
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new RustyError(`Cannot init ${dir}: not a folder.`, { exitCode: 2 })
  const packageJsonPath = path.join(dir, 'package.json')
  const cargoPath = path.join(dir, 'Cargo.toml')
  const pkg = fs.existsSync(packageJsonPath) ? readPackageJson(packageJsonPath) : undefined
  const manifest = fs.existsSync(cargoPath) ? readCargoToml(cargoPath) : undefined
  if (pkg?.rusty !== undefined) throw new RustyError(`${packageJsonPath} already has a "rusty" block; this is a rusty project.`, { exitCode: 2 })
  if (!pkg && !manifest) {
    throw new RustyError(`Cannot init ${dir}: it has neither a package.json nor a Cargo.toml.`, {
      exitCode: 2,
      hint: 'Use `rusty new <dir>` for a new project.',
    })
  }
  // A CommonJS package becomes an ES module ("type": "module") when no file
  // of its own relies on CommonJS; napi-rs's generated loader is replaced.
  const napiLoader = pkg ? napiRsLoader(dir) : undefined
  if (pkg && pkg.type !== 'module') {
    const commonJs = commonJsFiles(dir).filter((file) => file !== napiLoader?.js)
    if (commonJs.length > 0) {
      throw new RustyError(`${packageJsonPath} is a CommonJS package and ${commonJs.slice(0, 3).join(', ')}${commonJs.length > 3 ? ', ...' : ''} use${commonJs.length === 1 ? 's' : ''} require/module.exports; rusty packages are ES modules.`, {
        exitCode: 2,
        hint: 'Rename those files to .cjs (or turn them into ES modules), then run rusty init again; it adds "type": "module".',
      })
    }
  }
  // A workspace root (no [package]) is not a crate to build; beside a package.json it is left alone.
  const hasCrate = manifest !== undefined && (!pkg || manifest.package !== undefined)
  const startingPoint = !pkg ? 'rust-crate' : hasCrate ? 'napi-rs-package' : 'npm-package'
  const name = pkg ? String(pkg.name ?? '') : crateNameOf(manifest!, cargoPath)
  const names = validateProjectName(name)
  const backend = await chooseBackend(options)
  // A crate next to package.json (napi-rs's layout) or alone is used where it is.
  const crateDir = hasCrate ? '.' : 'rust'
  const context = createTemplateContext(names, backend, { crateDir, description: pkg?.description as string | undefined })

  // From an npm package: the backend's whole template (its crate and wrapper).
  // From a crate: the TypeScript package only, with a wrapper and a test that
  // assume nothing about the crate's exports, plus the crate's build files.
  const rendered = await renderTemplates(hasCrate ? ['common', backend.name, 'init'] : ['common', backend.name], {
    ...context,
    backendLabel: backend.label,
    nativeImport: backend.nativeImport,
  })
  const planned: RenderedFiles = new Map()
  for (const [file, content] of rendered) {
    if (!hasCrate) planned.set(file, content)
    else if (file.startsWith('rust/')) {
      const inCrate = file.slice('rust/'.length)
      if (!inCrate.startsWith('src/') && inCrate !== 'Cargo.toml') planned.set(inCrate, content)
    } else planned.set(file, content)
  }
  // The project's own tsconfig.json stays the project's (its tests, benchmarks,
  // editor); rusty compiles the wrapper with its own settings.
  const tsconfig = planned.get('tsconfig.json')
  if (tsconfig !== undefined && fs.existsSync(path.join(dir, 'tsconfig.json'))) {
    planned.delete('tsconfig.json')
    planned.set(RUSTY_TSCONFIG, tsconfig)
  }

  const result: InitResult = { dir, startingPoint, created: [], skipped: [], edited: [] }
  // Compute every edit before writing anything, so a refusal changes nothing.
  let cargoEdit: string | undefined
  if (hasCrate) {
    const template = initCrateDependencies(String(rendered.get('rust/Cargo.toml')), backend)
    const merged = mergeCargoManifest(fs.readFileSync(cargoPath, 'utf8'), template, cargoPath)
    if (merged.added.length > 0) cargoEdit = merged.text
  }
  const backendKeys = Object.keys(backend.packageJsonFields(context))
  const nextPackage = mergePackageJson(pkg, createPackageJson(context, backend), backendKeys, napiLoader !== undefined)
  assertNotOwnDependency(nextPackage)
  // napi-rs's generated loader (index.js / index.d.ts) becomes a re-export of
  // rusty's package, so imports of it (the project's own tests) keep working.
  const replaced = new Map<string, string>()
  if (napiLoader) {
    const shim = `// Was napi-rs's generated loader; rusty builds the binding into native/ and\n// this file re-exports the package (dist/, compiled by rusty develop).\nexport * from './dist/index.js'\n`
    replaced.set(napiLoader.js, shim)
    if (napiLoader.dts) replaced.set(napiLoader.dts, shim)
  }

  assertFoldersFree(dir, [...planned.keys()])

  for (const [file, content] of [...planned].sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(dir, ...file.split('/'))
    if (fs.existsSync(target)) {
      result.skipped.push(file)
      continue
    }
    await writeFileAtomic(target, typeof content === 'string' ? content : Buffer.from(content))
    result.created.push(file)
  }
  for (const [file, text] of replaced) {
    await writeFileAtomic(path.join(dir, file), text)
    result.edited.push(file)
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
  // The project's own package manager (its lockfile): `npm i` in a yarn project would rewrite yarn.lock.
  const pm = projectPackageManager(dir)
  reporter.info(`Next: ${pm.format('install')} && ${pm.format('execute-local', ['rusty', 'develop'])}`)
  return result
}

/**
 * package.json with the rusty fields added; every existing value wins, except
 * that the package becomes an ES module and, when `replaceEntry` (its entry
 * was napi-rs's loader, now replaced) or it has none, its entry points
 * (`main`, `types`, `exports`) become rusty's compiled wrapper. The objects
 * `scripts`, `devDependencies`, `dependencies` and the backend's own fields
 * (`backendKeys`: napi's `napi`, wasm's `imports`) are merged key by key.
 */
export function mergePackageJson(
  existing: Record<string, unknown> | undefined,
  fresh: Record<string, unknown>,
  backendKeys: readonly string[],
  replaceEntry: boolean,
): Record<string, unknown> {
  if (!existing) return fresh
  const merged: Record<string, unknown> = { ...existing, type: 'module', rusty: fresh.rusty }
  for (const key of new Set(['scripts', 'devDependencies', 'dependencies', ...backendKeys])) {
    if (fresh[key] === undefined) continue
    merged[key] = { ...(fresh[key] as object), ...((existing[key] as object | undefined) ?? {}) }
  }
  if (Array.isArray(existing.files)) merged.files = [...new Set([...(existing.files as string[]), 'dist', 'native'])]
  // A package with no entry point gets the compiled wrapper as its entry.
  if (replaceEntry || (existing.main === undefined && existing.exports === undefined)) {
    for (const key of ['main', 'types', 'exports']) merged[key] = fresh[key]
  }
  return merged
}

/** The file rusty compiles the wrapper with when the project has its own tsconfig.json. */
export const RUSTY_TSCONFIG = 'tsconfig.rusty.json'

/**
 * The template's Cargo.toml text with the dependency tables cut to the
 * backend's `initCrateDependencies` (what building and exporting need); a
 * backend without that list keeps its template's dependencies.
 */
function initCrateDependencies(template: string, backend: Pick<BackendInfo, 'initCrateDependencies'>): string {
  const keep = backend.initCrateDependencies
  if (!keep) return template
  let table = ''
  return template
    .split('\n')
    .filter((line) => {
      const header = /^\s*\[([^\]]+)\]\s*$/.exec(line)
      if (header) {
        table = header[1]!
        return true
      }
      if (table !== 'dependencies' && table !== 'build-dependencies') return true
      const entry = /^\s*([A-Za-z0-9_-]+)\s*=/.exec(line)
      return !entry || keep[table].includes(entry[1]!)
    })
    .join('\n')
}

/**
 * napi-rs's generated platform loader in `dir` (`index.js` whose header says
 * `auto-generated by NAPI-RS`, and its `index.d.ts`), which rusty replaces:
 * rusty writes its own into native/. Undefined when there is none.
 */
function napiRsLoader(dir: string): { js: string; dts?: string } | undefined {
  const js = path.join(dir, 'index.js')
  if (!fs.existsSync(js) || !fs.readFileSync(js, 'utf8').slice(0, 300).includes('auto-generated by NAPI-RS')) return undefined
  const dts = path.join(dir, 'index.d.ts')
  return { js: 'index.js', dts: fs.existsSync(dts) && fs.readFileSync(dts, 'utf8').includes('auto-generated by NAPI-RS') ? 'index.d.ts' : undefined }
}

/**
 * The package's `.js` files (relative, `/`-separated; outside node_modules,
 * target and dot-folders) that use CommonJS (`require(` or `module.exports` /
 * `exports.` assignments), which would break once the package says
 * `"type": "module"`. A plain text check: it may list a file that only
 * mentions them, never misses one that uses them.
 */
function commonJsFiles(dir: string): string[] {
  const found: string[] = []
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'target') continue
      const file = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        // A folder with its own package.json decides its own module type.
        if (!fs.existsSync(path.join(dir, file, 'package.json'))) walk(file)
      } else if (entry.name.endsWith('.js') && /\brequire\s*\(|\bmodule\.exports\b|^\s*exports\.\w+\s*=/m.test(fs.readFileSync(path.join(dir, file), 'utf8'))) {
        found.push(file)
      }
    }
  }
  walk('')
  return found.sort()
}

/**
 * The parsed Cargo.toml at `cargoPath`.
 *
 * @throws RustyError naming the file and the TOML error (its line and column in the cause), before anything is written
 */
function readCargoToml(cargoPath: string): { package?: { name?: unknown } } {
  try {
    return parseToml(fs.readFileSync(cargoPath, 'utf8')) as { package?: { name?: unknown } }
  } catch (error) {
    const first = (error as Error).message.split('\n')[0]
    throw new RustyError(`Cannot read ${cargoPath}: ${first}`, { hint: `Fix ${cargoPath} (cargo metadata shows the same error), then run rusty init again.`, cause: error })
  }
}

function crateNameOf(manifest: { package?: { name?: unknown } }, cargoPath: string): string {
  if (typeof manifest.package?.name !== 'string' || !manifest.package.name) {
    throw new RustyError(`${cargoPath} has no [package] name (a workspace root?); run rusty init in the crate's folder.`, { exitCode: 2 })
  }
  return manifest.package.name
}

/**
 * Checks that every folder the `files` (relative, `/`-separated) go into is
 * a folder or not there yet: a file named `test` or `rust` where init puts
 * `test/` or `rust/` would fail the write half-way, after other files were
 * written. Runs before anything is written.
 *
 * @throws RustyError listing each file in the way
 */
function assertFoldersFree(dir: string, files: string[]): void {
  const blocked = new Set<string>()
  for (const file of files) {
    const parts = file.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/')
      const stat = fs.statSync(path.join(dir, folder), { throwIfNoEntry: false })
      if (!stat) break
      if (!stat.isDirectory()) {
        blocked.add(folder)
        break
      }
    }
  }
  if (blocked.size === 0) return
  const list = [...blocked].sort()
  throw new RustyError(`Cannot init ${dir}: ${list.join(', ')} ${list.length === 1 ? 'is a file' : 'are files'}, where rusty puts a folder; nothing was written.`, {
    hint: `Rename or move ${list.join(', ')}, then run rusty init again.`,
  })
}

/** The backend's table entry: `options.backend`, else asked for when interactive, else the default. */
async function chooseBackend(options: InitOptions): Promise<BackendInfo> {
  if (options.backend || !canPrompt(options)) return backendInfo(options.backend ?? DEFAULT_BACKEND)
  return backendInfo(await (await openPrompts()).backend())
}
