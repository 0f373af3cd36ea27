import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'

/** Folders the scan never enters: git's, installed packages, cargo's and rusty's output. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'target', 'dist', 'native'])

/** JavaScript and TypeScript sources that may import wasm-pack's output. */
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/

/** A module specifier in `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
const SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(['"])([^'"\n]+)\1/g

/** One folder wasm-pack builds into, and the `--target` it builds for there. */
export interface WasmPackOutput {
  /** Relative to the package, `/`-separated (`rust/pkg`). */
  dir: string
  /** wasm-pack's `--target`: `bundler` (its default), `nodejs`, `web`, `no-modules` or `deno`. */
  target: string
}

/**
 * wasm-pack's output folders for a crate in `crateDir` (`.` or `rust`): its
 * default `pkg` in the crate folder (target `bundler`), and every
 * `--out-dir`/`-d` of a `wasm-pack build` in the package's scripts, which
 * wasm-pack resolves against the crate folder (the command's path argument,
 * else the current one, following `cd`), with that command's `--target`/`-t`.
 * A shell script a script runs (`sh build.sh`, `bash x`, `./build.sh`) is
 * read through `readScript` (its path relative to the package, `/`-separated;
 * `undefined` when there is none) and scanned the same way, one level deep.
 * A folder is listed once, with the target of the last command naming it.
 * wasm-pack's flags: `wasm-pack build --help`.
 */
export function wasmPackOutDirs(
  crateDir: string,
  scripts: Readonly<Record<string, unknown>> = {},
  readScript: (file: string) => string | undefined = () => undefined,
): WasmPackOutput[] {
  const targets = new Map([[path.posix.join(crateDir, 'pkg'), 'bundler']])
  // A shell script starts in the folder it was run from.
  const scan = (text: string, nested: boolean, from: string) => {
    let cwd = from
    for (const command of text.split(/&&|\|\||;|\n/)) {
      const words = command.trim().split(/\s+/).filter(Boolean)
      if (words[0] === 'cd' && words[1]) {
        cwd = path.posix.normalize(path.posix.join(cwd, words[1]))
        continue
      }
      const shellScript = words[0] === 'sh' || words[0] === 'bash' ? words[1] : words[0]?.endsWith('.sh') ? words[0] : undefined
      if (shellScript && !nested) {
        const inner = readScript(path.posix.normalize(path.posix.join(cwd, shellScript)))
        if (inner !== undefined) scan(inner, true, cwd)
        continue
      }
      const at = words.indexOf('wasm-pack')
      if (at < 0 || words[at + 1] !== 'build') continue
      const args = words.slice(at + 2)
      let outDir: string | undefined
      let target = 'bundler'
      let crate = '.'
      for (let i = 0; i < args.length; i++) {
        const arg = args[i]!
        if (arg === '--') break
        if (arg === '--out-dir' || arg === '-d') outDir = args[++i]
        else if (arg.startsWith('--out-dir=')) outDir = arg.slice('--out-dir='.length)
        else if (arg === '--target' || arg === '-t') target = args[++i] ?? target
        else if (arg.startsWith('--target=')) target = arg.slice('--target='.length)
        else if (arg.startsWith('-')) {
          // A flag with a value (--scope s, --out-name n, --mode m, --profile p).
          if (['--scope', '-s', '--out-name', '--mode', '-m', '--profile'].includes(arg)) i++
        } else crate = arg
      }
      targets.set(path.posix.normalize(path.posix.join(cwd, crate, outDir ?? 'pkg')), target)
    }
  }
  for (const script of Object.values(scripts)) if (typeof script === 'string') scan(script, false, '.')
  return [...targets].map(([dir, target]) => ({ dir, target }))
}

/** One import of wasm-pack's output in the package's own code. */
export interface WasmPackImport {
  /** The importing file, relative to the package. */
  file: string
  /** Its 1-based line. */
  line: number
  specifier: string
  /** What the specifier names, relative to the package (`rust/pkg/node/lz4_wasm`). */
  resolved: string
}

/**
 * The imports in the package's own JavaScript/TypeScript files whose
 * relative specifier points into one of `outDirs` (see
 * {@link wasmPackOutDirs}): code that loads the binding wasm-pack built,
 * which rusty does not make (it builds the binding into native/). Skips
 * `.git`, node_modules, target, dist, native, the output folders, and
 * folders with their own package.json (an app beside the package). A plain
 * text scan: a specifier in a comment counts too.
 */
export function wasmPackImports(dir: string, outDirs: readonly string[]): WasmPackImport[] {
  const inOutDir = (rel: string) => outDirs.some((out) => rel === out || rel.startsWith(`${out}/`))
  const found: WasmPackImport[] = []
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const file = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !inOutDir(file) && !fs.existsSync(path.join(dir, file, 'package.json'))) walk(file)
        continue
      }
      if (!entry.isFile() || !SOURCE.test(entry.name) || entry.name.endsWith('.d.ts')) continue
      const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n')
      lines.forEach((text, index) => {
        for (const match of text.matchAll(SPECIFIER)) {
          const specifier = match[2]!
          if (!specifier.startsWith('.')) continue
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
          if (inOutDir(resolved)) found.push({ file, line: index + 1, specifier, resolved })
        }
      })
    }
  }
  walk('')
  return found
}

/** One import init rewrites to rusty's binding. */
export interface WasmPackRewrite {
  /** The importing file, relative to the package. */
  file: string
  /** Its 1-based line. */
  line: number
  from: string
  to: string
}

/**
 * wasm-pack targets whose JavaScript module exports the `#[wasm_bindgen]`
 * items ready to call once imported, as rusty's binding does: `bundler`,
 * `nodejs`, `deno` (and wasm-bindgen's `experimental-nodejs-module`). `web`
 * and `no-modules` export an `init()` the caller must await first
 * (wasm-bindgen guide, "Deploying Rust and WebAssembly").
 */
const READY_TARGETS = new Set(['bundler', 'nodejs', 'deno', 'experimental-nodejs-module'])

/**
 * Why an import of wasm-pack's output cannot simply name rusty's binding
 * instead, or `undefined` when it can: it must name the output folder or its
 * main module (`<out-name>`, `.js`/`.mjs`/`.cjs`) built for a
 * {@link READY_TARGETS} target, not the `.wasm` file, wasm-bindgen's
 * internal `_bg.js` module, its `snippets/`, or a `web`/`no-modules` build.
 */
function notRewritable(found: WasmPackImport, output: WasmPackOutput): string | undefined {
  if (found.resolved.endsWith('.wasm')) return 'a .wasm file (a bundler plugin loads it): delete this import, the binding loads its .wasm itself'
  if (!READY_TARGETS.has(output.target)) return `built with --target ${output.target}, which needs its init() call: import the binding instead and delete the init() call`
  const rest = path.posix.relative(output.dir, found.resolved)
  if (rest.includes('/') || /_bg(?:\.[cm]?js)?$/.test(rest) || /\.(?!(?:[cm]?js)$)[^.]+$/.test(rest)) {
    return "not wasm-pack's main module: import the binding's exports instead"
  }
  return undefined
}

/**
 * Plans the rewrite of every import of wasm-pack's output in the package's
 * own code (sources and tests, see {@link wasmPackImports}) to rusty's
 * binding, which exports the same `#[wasm_bindgen]` names: `nativeImport`
 * (the backend's binding import as src/index.ts writes it, `#native` or
 * `../native/index.js`), made relative to each file when it is a relative
 * path. After init nothing builds wasm-pack's folder, so these imports
 * would fail on a missing module. Only the specifier changes; the quotes
 * and the rest of the line stay.
 *
 * @returns each rewrite (for the consent list) and the new text of each file
 *   (relative path → text); both empty when nothing imports the output
 * @throws RustyError (exit 2) naming each import that cannot be rewritten
 *   (a `.wasm` file, a `web`/`no-modules` build, an internal module), why,
 *   and the exact fix; nothing has been written then
 */
export function planWasmPackRewrites(
  dir: string,
  outputs: readonly WasmPackOutput[],
  nativeImport: string,
): { rewrites: WasmPackRewrite[]; edits: Map<string, string> } {
  const outputOf = (resolved: string) =>
    [...outputs].sort((a, b) => b.dir.length - a.dir.length).find((out) => resolved === out.dir || resolved.startsWith(`${out.dir}/`))!
  const found = wasmPackImports(
    dir,
    outputs.map((out) => out.dir),
  )
  const refused = found.flatMap((i) => {
    const why = notRewritable(i, outputOf(i.resolved))
    return why ? [`${i.file}:${i.line} '${i.specifier}' (${why})`] : []
  })
  if (refused.length > 0) {
    throw new RustyError(`${dir} imports wasm-pack's output in a way rusty's binding cannot stand in for: ${refused.join(', ')}. Nothing was written.`, {
      exitCode: 2,
      hint: `Make these changes (the binding is '${nativeImport}' from src/), then run rusty init again; it rewrites the plain imports of wasm-pack's output itself.`,
    })
  }
  const instead = (file: string) => {
    if (!nativeImport.startsWith('.')) return nativeImport
    const relative = path.posix.relative(path.posix.dirname(file), path.posix.join('src', nativeImport))
    return relative.startsWith('.') ? relative : `./${relative}`
  }
  // One rewrite per file, line and specifier (a line may name it twice).
  const unique = new Map(found.map((i) => [`${i.file}:${i.line}:${i.specifier}`, i]))
  const rewrites = [...unique.values()]
    .map((i) => ({ file: i.file, line: i.line, from: i.specifier, to: instead(i.file) }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
  const edits = new Map<string, string>()
  for (const file of new Set(rewrites.map((r) => r.file))) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n')
    for (const rewrite of rewrites.filter((r) => r.file === file)) {
      lines[rewrite.line - 1] = lines[rewrite.line - 1]!.replace(SPECIFIER, (whole, quote: string, specifier: string) =>
        specifier === rewrite.from ? whole.replace(`${quote}${specifier}${quote}`, `${quote}${rewrite.to}${quote}`) : whole,
      )
    }
    edits.set(file, lines.join('\n'))
  }
  return { rewrites, edits }
}
