import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'

/** Folders the scan never enters: git's, installed packages, cargo's and rusty's output. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'target', 'dist', 'native'])

/** JavaScript and TypeScript sources that may import wasm-pack's output. */
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/

/** A module specifier in `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
const SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(['"])([^'"\n]+)\1/g

/**
 * wasm-pack's output folders (relative to the package, `/`-separated) for a
 * crate in `crateDir` (`.` or `rust`): its default `pkg` in the crate folder,
 * and every `--out-dir`/`-d` of a `wasm-pack build` in the package's scripts,
 * which wasm-pack resolves against the crate folder (the command's path
 * argument, else the current one). wasm-pack's flags: `wasm-pack build --help`.
 */
export function wasmPackOutDirs(crateDir: string, scripts: Readonly<Record<string, unknown>> = {}): string[] {
  const dirs = new Set([path.posix.join(crateDir, 'pkg')])
  for (const script of Object.values(scripts)) {
    if (typeof script !== 'string') continue
    for (const command of script.split(/&&|\|\||;/)) {
      const words = command.trim().split(/\s+/)
      const at = words.indexOf('wasm-pack')
      if (at < 0 || words[at + 1] !== 'build') continue
      const args = words.slice(at + 2)
      let outDir: string | undefined
      let crate = '.'
      for (let i = 0; i < args.length; i++) {
        const arg = args[i]!
        if (arg === '--') break
        if (arg === '--out-dir' || arg === '-d') outDir = args[++i]
        else if (arg.startsWith('--out-dir=')) outDir = arg.slice('--out-dir='.length)
        else if (arg.startsWith('-')) {
          // A flag with a value (--target web, --scope s, --out-name n, --mode m, --profile p).
          if (['--target', '-t', '--scope', '-s', '--out-name', '--mode', '-m', '--profile'].includes(arg)) i++
        } else crate = arg
      }
      dirs.add(path.posix.normalize(path.posix.join(crate, outDir ?? 'pkg')))
    }
  }
  return [...dirs]
}

/** One import of wasm-pack's output in the package's own code. */
export interface WasmPackImport {
  /** The importing file, relative to the package. */
  file: string
  /** Its 1-based line. */
  line: number
  specifier: string
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
          if (inOutDir(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)))) found.push({ file, line: index + 1, specifier })
        }
      })
    }
  }
  walk('')
  return found
}

/**
 * Refuses to add rusty while the package's own code imports wasm-pack's
 * output: after init nothing makes that folder, so the project's build and
 * tests would fail on a missing module. Lists every import and the
 * specifier to use instead: `nativeImport` (the backend's binding import as
 * src/index.ts writes it, `#native` or `../native/index.js`), made relative
 * to each file when it is a relative path.
 *
 * @throws RustyError (exit 2) naming each file:line and the fix; nothing has been written then
 */
export function assertNoWasmPackImports(dir: string, outDirs: readonly string[], nativeImport: string): void {
  const found = wasmPackImports(dir, outDirs)
  if (found.length === 0) return
  const instead = (file: string, specifier: string) => {
    if (specifier.endsWith('.wasm')) return 'nothing: the binding loads its .wasm itself'
    if (!nativeImport.startsWith('.')) return `'${nativeImport}'`
    const relative = path.posix.relative(path.posix.dirname(file), path.posix.join('src', nativeImport))
    return `'${relative.startsWith('.') ? relative : `./${relative}`}'`
  }
  const list = found.map((i) => `${i.file}:${i.line} ('${i.specifier}' → ${instead(i.file, i.specifier)})`)
  throw new RustyError(`${dir} imports wasm-pack's output (${outDirs.join(', ')}), which rusty does not build: ${found.map((i) => `${i.file}:${i.line} '${i.specifier}'`).join(', ')}. Nothing was written.`, {
    exitCode: 2,
    hint: `rusty develop builds the binding into native/; import it from there instead: ${list.join(', ')}, then run rusty init again.`,
  })
}
