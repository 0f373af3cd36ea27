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
  /** The files the compiler emitted (final absolute paths; in a staged compile, their staged copies are at `stage.writePath`). */
  emitted?: string[]
  /** A staged compile's stamp, for the caller to write once the emitted files are in place. */
  writeStamp?: () => Promise<void>
}

/**
 * Where a staged compile (src/pipeline/transaction.ts) reads and writes: the
 * binding it type-checks against is the staged one, and what it emits goes
 * to the staging folder, so a TypeScript error or a kill leaves dist/ and
 * native/ as they were.
 */
export interface WrapperStage {
  /** The file to read for the final path `file` (a staged binding file, or `file` itself). */
  readPath(file: string): string
  /** The staged path to write for the final path `file`. */
  writePath(file: string): string
  /** Final paths whose bytes this build replaces: a stamp input among them makes the wrapper stale. */
  changed: ReadonlySet<string>
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
 * @throws RustyError when the project's `typescript` is not installed (the
 *   hint: the project's package manager's install line, e.g. `pnpm i`)
 * @throws RustyError when it would overwrite a file rusty did not write
 *   (a hand-written `dist/index.js`); nothing is written then
 * @throws RustyError listing the compiler's diagnostics when there are errors
 *   (nothing is emitted then, so the previous `dist/` stays as it was)
 */
export async function compileTypeScript(project: Project, stage?: WrapperStage): Promise<CompileResult> {
  const { tsconfig, fresh } = await wrapperState(project, stage?.changed)
  if (!tsconfig || fresh) return { compiled: false, tsconfig }
  const stampFile = path.join(project.stateDir, 'tsc-stamp.json')
  const ts = (await importProjectTool<{ default: typeof import('typescript') }>(project.root, 'typescript')).default

  const host: import('typescript').ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new RustyError(`Cannot read ${tsconfig}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
    },
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, { noEmitOnError: true }, host)
  if (!parsed) throw new RustyError(`Cannot read ${tsconfig}.`)
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host: stage ? stagedHost(ts, parsed.options, stage) : undefined,
  })
  // Held until the compile is known good and no file of the user's would be replaced.
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

  // Compared with the final paths (dist/), whether or not the files are staged first.
  assertRustyWrote(emitted, readStampFile<Stamp>(stampFile, isStamp)?.outputs ?? [], project.root)
  for (const [file, { text, bom }] of emitted) {
    const target = stage ? stage.writePath(file) : file
    // A staged file may be a hard link to the one in the package: unlinked first, never written through.
    if (stage) fs.rmSync(target, { force: true })
    fs.mkdirSync(path.dirname(target), { recursive: true })
    ts.sys.writeFile(target, text, bom)
  }
  const written = [...emitted.keys()]
  const sources = program.getSourceFiles().map((source) => path.resolve(source.fileName))
  const writeStamp = async () => {
    const recordedAt = Date.now()
    const inputs: Record<string, InputRecord> = { [tsconfig]: await recordInput(tsconfig) }
    for (const file of sources) {
      // The compiler's own lib files and installed packages change only with
      // an install, which the compiler version and lockfile cover well enough.
      if (file.includes(`${path.sep}node_modules${path.sep}`)) continue
      inputs[file] = await recordInput(file)
    }
    const stamp: Stamp = { recordedAt, compiler: ts.version, inputs, outputs: written }
    await writeStampFile(stampFile, stamp)
  }
  if (stage) return { compiled: true, tsconfig, emitted: written, writeStamp }
  await writeStamp()
  return { compiled: true, tsconfig, emitted: written }
}

/**
 * The project's wrapper config (`tsconfig.rusty.json`, which `rusty init`
 * writes beside a project's own tsconfig.json so only the wrapper is
 * compiled the way rusty needs it; else tsconfig.json) and whether its last
 * compile is current: its stamp fresh and none of its inputs among
 * `changed`. Reading the compiler's version is cheap; loading the compiler
 * is not (a few hundred ms), so it is not loaded here.
 */
export async function wrapperState(project: Project, changed?: ReadonlySet<string>): Promise<{ tsconfig?: string; fresh: boolean }> {
  const tsconfig = [path.join(project.root, 'tsconfig.rusty.json'), path.join(project.root, 'tsconfig.json')].find((file) => fs.existsSync(file))
  if (!tsconfig) return { fresh: true }
  const stampFile = path.join(project.stateDir, 'tsc-stamp.json')
  return { tsconfig, fresh: await isFresh(stampFile, projectToolVersion(project.root, 'typescript'), project, changed) }
}

/**
 * A compiler host that reads through `stage.readPath` (so the wrapper is
 * checked against the staged binding's typings) and resolves no symlink
 * there (a staged file may exist only in the staging folder).
 */
function stagedHost(ts: typeof import('typescript'), options: import('typescript').CompilerOptions, stage: WrapperStage): import('typescript').CompilerHost {
  const host = ts.createCompilerHost(options)
  const read = (file: string) => stage.readPath(path.resolve(file))
  return {
    ...host,
    fileExists: (file) => ts.sys.fileExists(read(file)),
    readFile: (file) => ts.sys.readFile(read(file)),
    directoryExists: (dir) => ts.sys.directoryExists(read(dir)) || ts.sys.directoryExists(dir),
    realpath: (file) => (read(file) === path.resolve(file) ? (host.realpath?.(file) ?? file) : file),
    getSourceFile: (file, languageVersion) => {
      const text = ts.sys.readFile(read(file))
      return text === undefined ? undefined : ts.createSourceFile(file, text, languageVersion)
    },
  }
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
async function isFresh(stampFile: string, compiler: string, project: Project, changed?: ReadonlySet<string>): Promise<boolean> {
  // One from another path (a project copied with its .rusty/), damaged, or
  // from an older rusty (which recorded bare hashes) is stale.
  const stamp = readStampFile<Stamp>(stampFile, isStamp)
  if (!stamp || stamp.compiler !== compiler) return false
  if (changed && Object.keys(stamp.inputs).some((file) => changed.has(file))) return false
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
  throw new RustyError(`rusty would overwrite ${foreign.join(', ')}, which rusty did not write (.rusty/tsc-stamp.json does not list ${them}); nothing was replaced.`, {
    hint: `Move your code out of ${foreign.length === 1 ? 'that file' : 'those files'} (rusty compiles src/ into ${them}; put it in src/index.ts), or delete ${them} if ${foreign.length === 1 ? 'it is an old build' : 'they are an old build'}, then run the command again.`,
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
