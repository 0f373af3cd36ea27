import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../errors.js'
import { factsOfFile, isFileFacts, isRecordOf, isStringArray, readStampFile, writeStampFile, type FileFacts } from '../util/stamp.js'
import type { Project } from './config.js'
import { importProjectTool, projectToolVersion } from './tools.js'

/** What {@link compileTypeScript} did. */
export interface CompileResult {
  /** False when the stamp showed nothing changed and the compiler was not loaded. */
  compiled: boolean
  /** The tsconfig.json used, or undefined when the project has none (nothing to compile). */
  tsconfig?: string
}

/** What the stamp knows of one input file: its bytes' sha256, and the size and mtime it had then. */
interface InputRecord extends FileFacts {
  sha256: string
}

interface Stamp {
  /** When the inputs were recorded (ms since the epoch), for {@link RACY_MS}. */
  recordedAt: number
  /** typescript's version: a new compiler invalidates the outputs. */
  compiler: string
  /** Every input file (absolute path). */
  inputs: Record<string, InputRecord>
  /** Every emitted file (absolute path); all must still exist. */
  outputs: string[]
}

/**
 * Compiles the package's TypeScript wrapper (`src/` by the project's
 * `tsconfig.rusty.json` when there is one, which `rusty init` adds next to a
 * project's own tsconfig.json, else its tsconfig.json) with the TypeScript compiler API of the project's own
 * `typescript` devDependency, emitting JavaScript and
 * `.d.ts` typings (usually into `dist/`), so `import 'pkg'` and its types work.
 *
 * Skips the work (without even loading the compiler) when no input changed
 * since the last compile: inputs and outputs are recorded in
 * `.rusty/tsc-stamp.json`, and a new `.ts` file under the tsconfig's folder
 * or `src/` also counts as a change.
 *
 * @throws RustyError when the project's `typescript` is not installed
 *   (`hint: run npm install`)
 * @throws RustyError listing the compiler's diagnostics when there are errors
 *   (nothing is emitted then, so the previous `dist/` stays as it was)
 */
export async function compileTypeScript(project: Project): Promise<CompileResult> {
  // `rusty init` writes rusty's settings to tsconfig.rusty.json when the
  // project has its own tsconfig.json (for its tests, benchmarks, editor),
  // so only the wrapper is compiled, the way rusty needs it.
  const tsconfig = [path.join(project.root, 'tsconfig.rusty.json'), path.join(project.root, 'tsconfig.json')].find((file) => fs.existsSync(file))
  if (!tsconfig) return { compiled: false }
  const stampFile = path.join(project.stateDir, 'tsc-stamp.json')
  // Reading the compiler's version is cheap; loading the compiler is not
  // (a few hundred ms), so it is loaded only when something changed.
  if (await isFresh(stampFile, projectToolVersion(project.root, 'typescript'), project)) return { compiled: false, tsconfig }
  const ts = (await importProjectTool<{ default: typeof import('typescript') }>(project.root, 'typescript')).default

  const host: import('typescript').ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new RustyError(`Cannot read ${tsconfig}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
    },
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, { noEmitOnError: true }, host)
  if (!parsed) throw new RustyError(`Cannot read ${tsconfig}.`)
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences })
  const emitted = new Map<string, { text: string; bom: boolean }>()
  const emit = program.emit(undefined, (file, text, bom) => {
    emitted.set(path.resolve(file), { text, bom })
  })
  // With noEmitOnError, emit() reports the pre-emit diagnostics again: each error is listed once.
  const diagnostics = ts.sortAndDeduplicateDiagnostics([...parsed.errors, ...ts.getPreEmitDiagnostics(program), ...emit.diagnostics])
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error)
  if (errors.length > 0) {
    const formatHost = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => project.root, getNewLine: () => '\n' }
    const text = process.stderr.isTTY
      ? ts.formatDiagnosticsWithColorAndContext(errors, formatHost)
      : ts.formatDiagnostics(errors, formatHost)
    process.stderr.write(text)
    const missing = missingBindingExports(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')))
    throw new RustyError(`TypeScript found ${errors.length} error${errors.length === 1 ? '' : 's'} in the package's wrapper (listed above).`, {
      hint:
        missing.length > 0
          ? `The wrapper imports ${missing.join(', ')} from the Rust binding, which does not export ${missing.length === 1 ? 'it' : 'them'}: export the Rust item${missing.length === 1 ? '' : 's'} (${missing.map(snakeCase).join(', ')}) from the crate, or remove the import from src/.`
          : undefined,
    })
  }

  assertRustyWrote(emitted, readStampFile<Stamp>(stampFile, isStamp)?.outputs ?? [], project.root)
  for (const [file, { text, bom }] of emitted) ts.sys.writeFile(file, text, bom)
  const written = [...emitted.keys()]

  const recordedAt = Date.now()
  const inputs: Record<string, InputRecord> = { [tsconfig]: await recordInput(tsconfig) }
  for (const source of program.getSourceFiles()) {
    const file = path.resolve(source.fileName)
    // The compiler's own lib files and installed packages change only with
    // an install, which the compiler version and lockfile cover well enough.
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue
    inputs[file] = await recordInput(file)
  }
  const stamp: Stamp = { recordedAt, compiler: ts.version, inputs, outputs: written }
  await writeStampFile(stampFile, stamp)
  return { compiled: true, tsconfig }
}

/**
 * The names the wrapper imports from the binding (`../native/...` or
 * `#native`) that the binding does not export, read from TypeScript's
 * messages (TS2305 "Module '...' has no exported member 'X'" and its
 * "Did you mean" form TS2724).
 *
 * @param messages the flattened text of each error
 */
export function missingBindingExports(messages: string[]): string[] {
  const names = new Set<string>()
  for (const message of messages) {
    const m = /(?:Module )?'"?([^"']+)"?' has no exported member (?:named )?'([^']+)'/.exec(message)
    if (m && /(^|\/)native(\/|$)|^#native$/.test(m[1]!)) names.add(m[2]!)
  }
  return [...names]
}

/** `priceOrderJson` -> `price_order_json`: how the Rust item behind a camelCase export is usually spelled. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/**
 * How close to the recording an input's mtime may be before its size and
 * mtime no longer vouch for its bytes: a same-size edit within one mtime tick
 * of the recording keeps both (FAT and exFAT count mtimes in 2 s steps;
 * git's "racy" index entries are the same case), so such an input is hashed.
 */
const RACY_MS = 2000

/**
 * Whether the last compile's outputs are current: same compiler, every
 * output still there, every input with the size and mtime the stamp recorded
 * (and an mtime older than the recording by {@link RACY_MS}) or else still the
 * same bytes, and no new TypeScript file. Inputs are hashed only when their
 * facts cannot tell, so a no-op develop does not even load node:crypto.
 */
async function isFresh(stampFile: string, compiler: string, project: Project): Promise<boolean> {
  // One from another path (a project copied with its .rusty/), damaged, or
  // from an older rusty (which recorded bare hashes) is stale.
  const stamp = readStampFile<Stamp>(stampFile, isStamp)
  if (!stamp || stamp.compiler !== compiler) return false
  if (!stamp.outputs.every((file) => fs.existsSync(file))) return false
  const checkedAt = Date.now()
  let rehashed = false
  for (const [file, recorded] of Object.entries(stamp.inputs)) {
    const facts = factsOfFile(file)
    if (!facts) return false
    if (facts.size === recorded.size && facts.mtimeMs === recorded.mtimeMs && recorded.mtimeMs < stamp.recordedAt - RACY_MS) continue
    if ((await hashFile(file)) !== recorded.sha256) return false
    Object.assign(recorded, facts)
    rehashed = true
  }
  // A file added since the last compile is not in the stamp.
  if (!listTypeScript(path.join(project.root, 'src')).every((file) => file in stamp.inputs)) return false
  if (rehashed) {
    // The inputs that had to be hashed are unchanged: their facts are
    // recorded again as of this check, so the next one trusts them without
    // hashing (the binding's typings, written just before each compile, are
    // always recent at first; git refreshes its "racy" index entries alike).
    stamp.recordedAt = checkedAt
    await writeStampFile(stampFile, stamp)
  }
  return true
}

/**
 * Refuses to replace a file the compiler would write over that rusty did not
 * write: one already there, not among the `previous` outputs of the stamp,
 * and with other content than the compiler's (a package's own hand-written
 * `dist/index.js`, say). Without the stamp (`.rusty/` removed) rusty's own
 * earlier output counts as foreign too, and the hint says how to go on.
 *
 * @param emitted absolute path → what the compiler would write there
 * @throws RustyError (exit 1) listing each such file (relative to `root`), before anything is written
 */
function assertRustyWrote(emitted: ReadonlyMap<string, { text: string }>, previous: readonly string[], root: string): void {
  const known = new Set(previous)
  const foreign = [...emitted]
    .filter(([file, { text }]) => !known.has(file) && fs.existsSync(file) && fs.readFileSync(file, 'utf8') !== text)
    .map(([file]) => path.relative(root, file).split(path.sep).join('/'))
  if (foreign.length === 0) return
  const them = foreign.length === 1 ? 'it' : 'them'
  throw new RustyError(`rusty develop would overwrite ${foreign.join(', ')}, which rusty did not write (.rusty/tsc-stamp.json does not list ${them}); nothing was replaced.`, {
    hint: `Move your code out of ${foreign.length === 1 ? 'that file' : 'those files'} (rusty compiles src/ into ${them}; put it in src/index.ts), or delete ${them} if ${foreign.length === 1 ? 'it is an old build' : 'they are an old build'}, then run rusty develop again.`,
  })
}

/** Whether a parsed stamp has every field of {@link Stamp} with its type. */
function isStamp(stamp: Record<string, unknown>): boolean {
  const isInput = (value: unknown): value is InputRecord => isFileFacts(value) && typeof (value as { sha256?: unknown }).sha256 === 'string'
  return typeof stamp.recordedAt === 'number' && typeof stamp.compiler === 'string' && isRecordOf(stamp.inputs, isInput) && isStringArray(stamp.outputs)
}

function listTypeScript(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.[cm]?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.resolve(entry.parentPath, entry.name))
}

async function hashFile(file: string): Promise<string> {
  const { createHash } = await import('node:crypto')
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

async function recordInput(file: string): Promise<InputRecord> {
  const stat = fs.statSync(file)
  return { sha256: await hashFile(file), size: stat.size, mtimeMs: stat.mtimeMs }
}
