import fs from 'node:fs'
import path from 'node:path'
import { DEFAULT_BACKEND, backendInfo, type BackendInfo } from '../project/backend-table.js'
import { RustyError } from '../errors.js'
import { assertNoCommonJs, commonJsFiles } from '../init/commonjs-scan.js'
import { consentTo } from '../init/consent.js'
import { crateMetadata, mergeCargoManifest, readCargoToml } from '../init/crate-manifest.js'
import { pointEntries } from '../init/entry-points.js'
import { appendGitignore } from '../init/gitignore.js'
import { JEST_ESM_CONFIG, planJestEsm } from '../init/jest-esm.js'
import { mergePackageJson, ownTestCommand } from '../init/merge-package.js'
import { upgradeNapiConfig } from '../init/napi-rs-config.js'
import { findNapiRsLoader, loaderShim } from '../init/napi-rs-loader.js'
import { replaceNapiRsScripts } from '../init/napi-rs-scripts.js'
import { describeOldTools, findOldTools, upgradePackages } from '../init/old-tools.js'
import { assertFoldersFree, planFiles } from '../init/plan-files.js'
import { reportChanges } from '../init/report.js'
import { toolConfigRenames, type ConfigRename } from '../init/tool-configs.js'
import { planWasmPackRewrites, wasmPackOutDirs } from '../init/wasm-pack-imports.js'
import { readPackageJson } from '../project/config.js'
import { validateProjectName } from '../project/names.js'
import { assertNotOwnDependency, createPackageJson, createTemplateContext } from '../project/package-json.js'
import { canPrompt, openPrompts } from '../project/prompts.js'
import { renderTemplates } from '../project/templates.js'
import { writeFileAtomic } from '../util/files.js'
import { projectPackageManager } from '../util/package-manager.js'
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
  /** Existing files that were edited (package.json, Cargo.toml, .gitignore, napi-rs's loader and its typings). */
  edited: string[]
  /** CommonJS tool configs renamed to `.cjs` (jest.config.js → jest.config.cjs). */
  renamed: ConfigRename[]
}

/**
 * `rusty init`: adds rusty to an existing npm package (a `rust/` crate from the
 * backend's template, the `"rusty"` block, scripts, the backend's fields), to
 * an existing Rust library crate (the TypeScript package around it, with the
 * crate's version and description, and the backend's build dependencies and
 * `cdylib` added to its Cargo.toml), or to both side by side (napi-rs's
 * layout: the crate is used where it is, napi-rs's generated loader, v1 to
 * v3, becomes a re-export of the package, its `napi …` scripts become
 * rusty's, and the entry points that named the old setup point at rusty's
 * wrapper). Imports of wasm-pack's output in the project's own code name
 * rusty's binding instead, with consent. A project's jest with ts-jest runs
 * in jest's ESM mode (init/jest-esm.ts), with consent. A CommonJS package becomes an ES module. Old tools (@napi-rs/cli
 * 2, napi 2 crates, TypeScript 4) are upgraded with consent (`--yes` or a
 * prompt). When the project has a tsconfig.json, rusty's compiler settings go
 * to `tsconfig.rusty.json`; rusty's lines are appended to an existing
 * `.gitignore`. The project's own test command moves to `test:only`. It never
 * overwrites a file of the user's: existing ones are listed as skipped;
 * package.json and Cargo.toml are only added to (their existing values win,
 * `type`, replaced entry points and scripts aside, each listed).
 *
 * Everything is checked before the first write, so a refusal writes nothing.
 * A package.json starting with a byte order mark is read (and written back
 * without it, as npm writes it).
 *
 * @throws RustyError (exit 2) when the folder has a `"rusty"` block already,
 *   holds neither package.json nor Cargo.toml, is a CommonJS package with
 *   files that use require/module.exports (all listed; known tool configs
 *   such as jest.config.js are renamed to .cjs instead, with consent), its
 *   own code imports wasm-pack's output folder in a way rusty's binding
 *   cannot stand in for (a .wasm file, a `--target web` build; each listed
 *   with the fix; plain imports are rewritten to the binding, with consent), its name is not
 *   valid for npm and Cargo, or old tools need an upgrade (or tool configs a
 *   rename) the user did not agree to; RustyError (exit 1) when package.json is not a JSON object or
 *   Cargo.toml not valid TOML (naming the file and the error), or when a file
 *   stands where init puts a folder (`test`, `rust`, `src`)
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
  const napiLoader = pkg ? findNapiRsLoader(dir, pkg.main) : undefined
  const replacedFiles = napiLoader ? [napiLoader.js, ...(napiLoader.dts ? [napiLoader.dts] : [])] : []
  // CommonJS tool configs (jest.config.js) are renamed to .cjs, with consent
  // below; any other CommonJS file is the user's to change.
  const configRenames = pkg && pkg.type !== 'module' ? toolConfigRenames(commonJsFiles(dir), (file) => fs.existsSync(path.join(dir, file))).renames : []
  if (pkg && pkg.type !== 'module') assertNoCommonJs(dir, packageJsonPath, [...replacedFiles, ...configRenames.map((r) => r.from)])
  // A workspace root (no [package]) is not a crate to build; beside a package.json it is left alone.
  const hasCrate = manifest !== undefined && (!pkg || manifest.package !== undefined)
  const startingPoint = !pkg ? 'rust-crate' : hasCrate ? 'napi-rs-package' : 'npm-package'
  const crate = pkg ? undefined : crateMetadata(manifest!, cargoPath)
  const names = validateProjectName(pkg ? String(pkg.name ?? '') : crate!.name)
  const backend = await chooseBackend(options)
  const readScript = (file: string) => (fs.statSync(path.join(dir, file), { throwIfNoEntry: false })?.isFile() ? fs.readFileSync(path.join(dir, file), 'utf8') : undefined)
  const wasmPackOutputs = wasmPackOutDirs(hasCrate ? '.' : 'rust', pkg?.scripts as Record<string, unknown> | undefined, readScript)
  const wasmPack = planWasmPackRewrites(dir, wasmPackOutputs, backend.nativeImport)
  const context = createTemplateContext(names, backend, {
    crateDir: hasCrate ? '.' : 'rust',
    description: (pkg?.description as string | undefined) ?? crate?.description,
    version: crate?.version,
  })

  // From an npm package: the backend's whole template (its crate and wrapper).
  // From a crate: the TypeScript package only, with a wrapper and a test that
  // assume nothing about the crate's exports, plus the crate's build files.
  const rendered = await renderTemplates(hasCrate ? ['common', backend.name, 'init'] : ['common', backend.name], {
    ...context,
    backendLabel: backend.label,
    nativeImport: backend.nativeImport,
  })
  const planned = planFiles(dir, rendered, { crateInPlace: hasCrate, ownTests: ownTestCommand(pkg) !== undefined })
  const edits = new Map<string, string>()
  const gitignore = planned.get('.gitignore')
  if (gitignore !== undefined && fs.existsSync(path.join(dir, '.gitignore'))) {
    planned.delete('.gitignore')
    const appended = appendGitignore(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), String(gitignore))
    if (appended !== undefined) edits.set('.gitignore', appended)
  }

  // Compute every edit and get consent before writing anything, so a refusal changes nothing.
  const oldTools = findOldTools(pkg, hasCrate ? manifest : undefined, backend.buildTools.includes('@napi-rs/cli'))
  await consentTo(describeOldTools(oldTools), 'upgrade old tools rusty cannot build with', { ...options, reporter })
  await consentTo(
    configRenames.map((r) => `${r.from} → ${r.to} (CommonJS; the tool reads the .cjs name too)`),
    'rename CommonJS tool configs to .cjs, as the package becomes an ES module',
    { ...options, reporter },
  )
  // The project's jest (with ts-jest) must run as ES modules once the package is one.
  const jestEsm = pkg && planJestEsm(pkg, ownTestCommand(pkg), (file) => fs.existsSync(path.join(dir, file)), configRenames.map((r) => r.from))
  await consentTo(
    jestEsm ? [`"test:only": ${JSON.stringify(jestEsm.from)} → ${JSON.stringify(jestEsm.to)}, and ${JEST_ESM_CONFIG} written`] : [],
    "run the project's jest tests as ES modules, as the package becomes one",
    { ...options, reporter },
  )
  if (jestEsm) for (const [file, text] of await renderTemplates(['jest-esm'], {})) planned.set(file, text)
  await consentTo(
    wasmPack.rewrites.map((r) => `${r.file}:${r.line} '${r.from}' → '${r.to}'`),
    "point the imports of wasm-pack's output (which nothing builds once rusty does) at rusty's binding, which exports the same #[wasm_bindgen] names",
    { ...options, reporter },
  )
  for (const [file, text] of wasmPack.edits) edits.set(file, text)
  let cargoChanges: string[] = []
  if (hasCrate) {
    const merged = mergeCargoManifest(fs.readFileSync(cargoPath, 'utf8'), String(rendered.get('rust/Cargo.toml')), {
      file: cargoPath,
      keep: backend.initCrateDependencies,
      upgrades: oldTools.crates,
    })
    if (merged.added.length > 0) edits.set('Cargo.toml', merged.text)
    cargoChanges = merged.added
  }
  const fresh = createPackageJson(context, backend)
  const scripts = pkg?.scripts ? replaceNapiRsScripts(pkg.scripts as Record<string, string>) : undefined
  const entries = pointEntries(dir, pkg ?? {}, { main: fresh.main, types: fresh.types, exports: fresh.exports }, replacedFiles)
  const napiConfig = pkg?.napi !== null && typeof pkg?.napi === 'object' ? upgradeNapiConfig(pkg.napi as Record<string, unknown>) : undefined
  const ownPackage = pkg && { ...upgradePackages(pkg, oldTools.packages), ...(napiConfig && { napi: napiConfig.napi }) }
  const nextPackage = mergePackageJson(ownPackage, fresh, {
    backendKeys: Object.keys(backend.packageJsonFields(context)),
    entries: entries.fields,
    scripts: scripts?.scripts,
  })
  if (jestEsm) (nextPackage.scripts as Record<string, string>)['test:only'] = jestEsm.to!
  assertNotOwnDependency(nextPackage)
  // napi-rs's generated loader becomes a re-export of rusty's package, so
  // imports of it (the project's own tests) keep working.
  for (const file of replacedFiles) edits.set(file, loaderShim(file))
  edits.set('package.json', `${JSON.stringify(nextPackage, null, 2)}\n`)
  assertFoldersFree(dir, planned.keys())

  const result: InitResult = { dir, startingPoint, created: [], skipped: [], edited: [], renamed: [] }
  for (const [file, content] of [...planned].sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(dir, ...file.split('/'))
    if (fs.existsSync(target)) {
      result.skipped.push(file)
      continue
    }
    await writeFileAtomic(target, typeof content === 'string' ? content : Buffer.from(content))
    result.created.push(file)
  }
  for (const rename of configRenames) {
    fs.renameSync(path.join(dir, rename.from), path.join(dir, rename.to))
    result.renamed.push(rename)
  }
  // package.json last: until it has the "rusty" block, init can run again.
  for (const [file, text] of edits) {
    await writeFileAtomic(path.join(dir, file), text)
    ;(file === 'package.json' && !pkg ? result.created : result.edited).push(file)
  }

  reporter.done(`Added rusty (${backend.name}) to ${names.npmName} in ${dir}`)
  reportChanges(reporter, {
    ...result,
    cargo: cargoChanges,
    scripts: [...(scripts?.changes ?? []), ...(jestEsm ? [jestEsm] : [])],
    napiConfig: napiConfig?.changes ?? [],
    ownTest: ownTestCommand(pkg),
    entriesLeft: entries.left,
    ownDist: entries.ownDist,
    nativeImport: pkg ? backend.nativeImport : undefined,
  })
  // The project's own package manager (its lockfile): `npm i` in a yarn project would rewrite yarn.lock.
  const pm = projectPackageManager(dir)
  reporter.info(`Next: ${pm.format('install')} && ${pm.format('execute-local', ['rusty', 'develop'])}`)
  return result
}

/** The backend's table entry: `options.backend`, else asked for when interactive, else the default. */
async function chooseBackend(options: InitOptions): Promise<BackendInfo> {
  if (options.backend || !canPrompt(options)) return backendInfo(options.backend ?? DEFAULT_BACKEND)
  return backendInfo(await (await openPrompts()).backend())
}
