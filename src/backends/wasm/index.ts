import fs from 'node:fs/promises'
import path from 'node:path'
import { RustyError } from '../../errors.js'
import { fsExtra } from '../../util/files.js'
import { runtimeFile, runtimeSource, type OutputFile } from '../install.js'
import { resolveProjectTool } from '../../project/tools.js'
import { rustyVersion } from '../../util/rusty-version.js'
import { buildCdylib } from '../cdylib.js'
import { findSnakeCaseMethods } from './names.js'
import { readFreshStamp, removeStamp, writeStamp } from '../../util/stamp.js'
import { WASM_TRIPLE, ensureWasmBindgen, ensureWasmTarget, findCargoLock, lockedWasmBindgenVersion } from './toolchain.js'
import { WASM_TARGETS } from '../../project/backend-table.js'
import { artifactName } from '../../../templates/runtime/artifact-name.js'
import type { BackendBuild, BackendModule, BuildOptions } from '../types.js'
// execa is imported where a process is started, not above: a no-op develop
// starts none, and loading execa's bundle costs more than the rest of this
// backend (BENCHMARKS.md §3).

// wasm-opt flags for the WebAssembly features Rust >= 1.87 emits by default
// for wasm32-unknown-unknown (the rustc platform-support page for the target);
// without them wasm-opt refuses such modules ("Bulk memory operations require
// bulk memory").
const WASM_OPT_FEATURES = [
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
]

/** One of the wasm targets of `--wasm-target` / `"rusty".wasmTarget` (`WASM_TARGETS`, src/project/backend-table.ts). */
type WasmTarget = (typeof WASM_TARGETS)[number]

/** An entry for an environment a target does not serve: importing it throws an Error saying what to use. */
interface Unsupported {
  /** The environment, e.g. `browsers`. */
  where: string
  /** The targets that serve it, e.g. `"universal" or "web"`. */
  use: string
}

/**
 * What one wasm target is made of: wasm-bindgen's `--target` (its CLI's
 * list), the folder below native/ its glue goes to, and the two entries
 * package.json `imports["#native"]` points at (`node.js` without the
 * "browser" condition, `browser.js` with it): the code that loads the
 * module (followed by {@link entryExports}), or {@link Unsupported}.
 */
interface TargetLayout {
  name: WasmTarget
  bindgenTarget: string
  dir: string
  node: string | Unsupported
  browser: string | Unsupported
}

/** Node: compile the module synchronously, so importing the package is enough. */
const nodeInitSync = `import { readFileSync } from 'node:fs'
import { initSync as initModule } from './web/index.js'

initModule({ module: readFileSync(new URL('./web/index_bg.wasm', import.meta.url)) })
`

/** Browsers: fetch and instantiate the module before the package's exports are used. */
const browserInit = `import initModule from './web/index.js'

await initModule({ module_or_path: new URL('./web/index_bg.wasm', import.meta.url) })
`

/** The file in native/ that turns panics into Errors (templates/runtime/panics.js). */
export const PANICS_RUNTIME = 'panics.js'

/**
 * The exports part of an entry: the glue's exports by name, passed through
 * `guardExports` of native/panics.js (a panic becomes an Error with
 * `code: 'RUST_PANIC'`). Without names (glue that only re-exports another
 * file, as the bundler target's), a plain re-export.
 */
export function entryExports(dir: string, names: string[]): string {
  if (names.length === 0) return `export * from './${dir}/index.js'\n`
  const aliases = camelCaseAliases(names).map(([snake, camel]) => `${snake}: ${camel}`)
  return [
    `import * as glue from './${dir}/index.js'`,
    `import { guardExports } from './${PANICS_RUNTIME}'`,
    '',
    `export const { ${[...names, ...aliases].join(', ')} } = guardExports(glue)`,
    '',
  ].join('\n')
}

/**
 * The export names rusty's naming rule adds for wasm: JavaScript's camelCase
 * for a snake_case export that wasm-bindgen named after the Rust function
 * (`say_hello` gets `sayHello`, which napi-rs would have named it). Names
 * without an underscore, with a leading underscore or with an uppercase
 * letter, and aliases that would clash with an existing name, are left out.
 *
 * @param names the glue's export names
 * @returns `[snake, camel]` pairs
 */
export function camelCaseAliases(names: string[]): [string, string][] {
  const taken = new Set(names)
  const pairs: [string, string][] = []
  for (const name of names) {
    if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) continue
    const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
    if (taken.has(camel)) continue
    taken.add(camel)
    pairs.push([name, camel])
  }
  return pairs
}

/** Re-exports glue that loads its module itself. */
const reexport = (dir: string) => `export * from './${dir}/index.js'\n`

const LAYOUTS: Record<WasmTarget, TargetLayout> = {
  // The default: one package for Node and browsers (wasm-pack #313).
  universal: { name: 'universal', bindgenTarget: 'web', dir: 'web', node: nodeInitSync, browser: browserInit },
  // Node only: wasm-bindgen's ES-module glue for Node, which reads the module itself.
  nodejs: {
    name: 'nodejs',
    bindgenTarget: 'experimental-nodejs-module',
    dir: 'nodejs',
    node: '',
    browser: { where: 'browsers', use: '"universal" or "web"' },
  },
  web: { name: 'web', bindgenTarget: 'web', dir: 'web', node: { where: 'Node.js', use: '"universal" or "nodejs"' }, browser: browserInit },
  // For bundlers that import .wasm as an ES module (webpack 5 asyncWebAssembly,
  // vite-plugin-wasm; Node.js with --experimental-wasm-modules), for browser and SSR builds alike.
  bundler: { name: 'bundler', bindgenTarget: 'bundler', dir: 'bundler', node: '', browser: '' },
}

/**
 * The text of an {@link Unsupported} entry. It declares the glue's exported
 * names without importing the glue (which may not even load there: the
 * nodejs glue imports `node:fs`), so `import { Counter } from '#native'`
 * still links and the user sees this Error, not a missing-export one.
 */
function unsupportedEntry(target: WasmTarget, entry: Unsupported, names: string[]): string {
  const message = `This package was built with wasmTarget "${target}", which does not run in ${entry.where}; build it with wasmTarget ${entry.use} (rusty develop --wasm-target ...).`
  return `${names.length > 0 ? `export let ${names.join(', ')}\n` : ''}throw new Error(${JSON.stringify(message)})\n`
}

/**
 * The named exports of wasm-bindgen's glue (`export class X`, `export
 * function x`, `export { a, b as c }`, `export { d } from '...'`), in source
 * order, without `default`: read by es-module-lexer, so only real export
 * statements count (not text in strings or comments).
 *
 * @throws the lexer's Error when `js` is not an ES module it can read
 */
export async function glueExports(js: string): Promise<string[]> {
  // Imported here: only a build that runs wasm-bindgen reads glue. The lexer
  // is WebAssembly; initSync compiles it once (a few ms), on the first call.
  const { initSync, parse: parseModule } = await import('es-module-lexer')
  initSync()
  const [, exports] = parseModule(js)
  const names = exports.map((e) => e.n).filter((name): name is string => name !== undefined && name !== 'default')
  return [...new Set(names)]
}

/**
 * wasm-bindgen's glue with its futures queued through `queueTask` of
 * native/panics.js instead of the global queueMicrotask, so a panic in an
 * `async fn` rejects the pending Promises instead of throwing from a
 * microtask (which ends Node). Glue without futures is returned unchanged.
 *
 * @param js the text of one glue file (`index.js`, or the bundler target's `index_bg.js`)
 */
export function routeMicrotasks(js: string): string {
  const call = /(__wbg_queueMicrotask_\w+(?::\s*function)?\s*\(arg0\)\s*\{\s*)queueMicrotask\(arg0\);/g
  if (!call.test(js)) return js
  const routed = js.replace(call, '$1__rustyQueueTask(arg0);')
  return `import { queueTask as __rustyQueueTask } from '../${PANICS_RUNTIME}'\n${routed}`
}

/**
 * The names the package exports from the glue in `dir`: those of `index.js`
 * and, for glue that re-exports `index_bg.js` (the bundler target), of that
 * file, without wasm-bindgen's own imports (`__wbg_*`, `__wbindgen_*`).
 */
async function bindingExports(dir: string): Promise<string[]> {
  const names = new Set(await glueExports(await fs.readFile(path.join(dir, 'index.js'), 'utf8')))
  const bg = path.join(dir, 'index_bg.js')
  if (await (await fsExtra()).pathExists(bg)) for (const name of await glueExports(await fs.readFile(bg, 'utf8'))) names.add(name)
  return [...names].filter((name) => !/^__wb(g|indgen)/.test(name))
}

/** The first line of every entry rusty writes. */
const GENERATED = '// Generated by rusty (wasm backend): an entry of the wasm binding, see package.json "imports".\n'

/**
 * The wasm backend, like wasm-pack but with one package for Node and browsers
 * by default (wasm-pack #313): cargo builds the crate for
 * wasm32-unknown-unknown, the wasm-bindgen CLI of exactly the version in
 * Cargo.lock writes the glue for the wasm target into `native/<dir>/`,
 * and rusty adds the entries `native/node.js` and `native/browser.js`,
 * picked by package.json `imports["#native"]` conditions, so package.json
 * is the same whatever the target. Release builds run wasm-opt from the
 * binaryen npm package.
 */
export const backend: BackendModule = {
  name: 'wasm',

  async build(options: BuildOptions): Promise<BackendBuild> {
    const { project, reporter } = options
    // Checked first: without the target, cargo's own error is a page of "can't find crate for core".
    await ensureWasmTarget(project.root, project.stateDir)
    if (options.target && options.target !== WASM_TRIPLE) {
      throw new RustyError(`The wasm backend builds for ${WASM_TRIPLE} only (got --target ${options.target}).`, { exitCode: 2 })
    }
    const snake = findSnakeCaseMethods(project.crateDir)
    if (snake.length > 0) {
      const where = snake.slice(0, 3).map((m) => `${m.name} (${m.file}:${m.line}): js_name = ${m.camel}`).join(', ')
      reporter.warn(`${snake.length} method${snake.length === 1 ? '' : 's'} would be snake_case in JavaScript; rusty's rule is camelCase. Add ${where}${snake.length > 3 ? ', ...' : ''}.`)
    }
    const wasmTarget = (options.wasmTarget ?? WASM_TARGETS[0]) as WasmTarget
    const layout = LAYOUTS[wasmTarget]
    const output = await buildCdylib(options, WASM_TRIPLE, false)
    const wasm = output.cdylibFiles.find((file) => file.endsWith('.wasm'))
    if (!wasm) throw new RustyError(`cargo reported no .wasm file for the crate (files: ${output.cdylibFiles.join(', ') || 'none'}).`)

    // The files in native/ depend on the module cargo wrote, the wasm-bindgen
    // version in Cargo.lock, wasm-opt (release), the wasm target and its
    // entries: when none changed, a no-op develop skips wasm-bindgen and
    // wasm-opt (up to seconds), does not even start wasm-bindgen to ask its
    // version, and takes that version from the stamp instead of parsing
    // Cargo.lock again.
    const lock = findCargoLock(project.crateDir)
    const stampFile = path.join(project.stateDir, options.incremental ? 'wasm-stamp.json' : 'wasm-build-stamp.json')
    const panics = await fs.readFile(runtimeSource(PANICS_RUNTIME), 'utf8')
    const stampKey = JSON.stringify({ release: options.release, WASM_OPT_FEATURES, GENERATED, layout, panics, rusty: rustyVersion() })
    const fresh = await readFreshStamp<{ wasmBindgen?: string }>(stampFile, stampKey, [wasm, lock])
    const described = {
      library: path.join(layout.dir, 'index_bg.wasm'),
      // The module ships inside the main package; the artifacts folder's copy is for the record (sizes, CI uploads).
      artifactName: artifactName({ stem: path.basename(wasm, '.wasm'), extension: 'wasm' }),
      platform: 'wasm32',
      // The bundler target's glue imports the .wasm file as an ES module, which Node does not by default.
      loadsInNode: typeof layout.node === 'string' && layout.bindgenTarget !== 'bundler',
      // The glue folders of the other wasm targets.
      stale: [...new Set(Object.values(LAYOUTS).map((l) => l.dir))].filter((dir) => dir !== layout.dir),
    }
    if (fresh?.data?.wasmBindgen) {
      reporter.done(`wasm binding up to date (wasm-bindgen ${fresh.data.wasmBindgen}, ${wasmTarget})`)
      return { ...described, outputs: [], files: fresh.outputs.map((file) => path.relative(project.nativeDir, file)) }
    }
    const version = await lockedWasmBindgenVersion(project.crateDir, lock)
    await removeStamp(stampFile)
    const cli = await ensureWasmBindgen(version, reporter)
    const outputs = await generateBinding(wasm, cli, version, layout, options)
    const files = outputs.map((file) => file.dest)
    return {
      ...described,
      outputs,
      files,
      afterCommit: async (placed) => writeStamp(stampFile, stampKey, [wasm, lock], files.map(placed), { wasmBindgen: version }),
    }
  },
}

/**
 * Runs wasm-bindgen (and, for release builds, wasm-opt) on cargo's module in
 * a work folder (`.rusty/wasm`, removed by the pipeline once the binding is
 * placed), and describes the binding: the glue for `native/<layout.dir>/`
 * and the entries for `native/`.
 *
 * @returns the binding's files, paths relative to native/
 * @throws RustyError when wasm-bindgen or wasm-opt fails
 */
async function generateBinding(
  wasm: string,
  cli: string,
  version: string,
  layout: TargetLayout,
  options: BuildOptions,
): Promise<OutputFile[]> {
  const { project, reporter } = options
  const staging = path.join(project.stateDir, 'wasm')
  const stagedGlue = path.join(staging, layout.dir)
  await fs.rm(staging, { recursive: true, force: true })
  reporter.start(`Generating the JavaScript glue with wasm-bindgen ${version} (--target ${layout.bindgenTarget})`)
  const args = [wasm, '--out-dir', stagedGlue, '--out-name', 'index', '--target', layout.bindgenTarget]
  const { execa } = await import('execa')
  const bindgen = await execa(cli, args, { reject: false, all: true })
  if (bindgen.failed) {
    process.stderr.write(`${bindgen.all ?? ''}\n`)
    throw new RustyError(`wasm-bindgen ${version} failed (exit code ${bindgen.exitCode}); its messages are above.`)
  }
  if (options.release) {
    reporter.start('Optimising the module with wasm-opt (binaryen)')
    await wasmOpt(project.root, path.join(stagedGlue, 'index_bg.wasm'))
  }
  reporter.done(`Generated the wasm binding (wasm-bindgen ${version}${options.release ? ', wasm-opt -O' : ''})`)

  for (const file of await fs.readdir(stagedGlue)) {
    if (!file.endsWith('.js')) continue
    const js = await fs.readFile(path.join(stagedGlue, file), 'utf8')
    const routed = routeMicrotasks(js)
    if (routed !== js) await fs.writeFile(path.join(stagedGlue, file), routed)
  }

  // The module first, the panic runtime and the glue next, the entries last:
  // a file never imports one that is not there yet (the pipeline places by role).
  const glue = (await fs.readdir(stagedGlue)).map((file): OutputFile => ({
    dest: path.join(layout.dir, file),
    role: file.endsWith('.wasm') ? 'library' : 'glue',
    source: { file: path.join(stagedGlue, file) },
  }))
  const names = await bindingExports(stagedGlue)
  const text = (entry: string | Unsupported) =>
    GENERATED + (typeof entry === 'string' ? `${entry}${entry ? '\n' : ''}${entryExports(layout.dir, names)}` : unsupportedEntry(layout.name, entry, names))
  const entries = [
    [
      'index.d.ts',
      `${GENERATED}// The typings are wasm-bindgen's own, with camelCase names for snake_case functions.\n${reexport(layout.dir)}${camelCaseAliases(names)
        .map(([snake, camel]) => `export { ${snake} as ${camel} } from './${layout.dir}/index.js'\n`)
        .join('')}`,
    ],
    ['browser.js', text(layout.browser)],
    ['node.js', text(layout.node)],
  ] as const
  return [
    runtimeFile(PANICS_RUNTIME),
    ...glue,
    ...entries.map(([file, content]): OutputFile => ({ dest: file, role: 'loader', source: { content } })),
  ]
}

/**
 * Runs binaryen's wasm-opt on `file` in place: the JS build in the project's
 * own `binaryen` devDependency (nothing is downloaded).
 *
 * @throws RustyError when binaryen is not installed in the project (`hint: run npm install`) or wasm-opt fails
 */
async function wasmOpt(root: string, file: string): Promise<void> {
  const bin = path.join(path.dirname(resolveProjectTool(root, 'binaryen', 'package.json')), 'bin', 'wasm-opt')
  const { execa } = await import('execa')
  const result = await execa(process.execPath, [bin, file, '-O', ...WASM_OPT_FEATURES, '-o', file], { reject: false, all: true })
  if (result.failed) {
    process.stderr.write(`${result.all ?? ''}\n`)
    throw new RustyError(`wasm-opt failed (exit code ${result.exitCode}); its messages are above.`)
  }
}
