import fs from 'node:fs/promises'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { atPath } from './files.js'

/** A file's size (bytes) and modification time (ms since the epoch): what tells a rewrite apart. */
export interface FileFacts {
  size: number
  mtimeMs: number
}

/**
 * The record {@link readFreshOutputs} checks: the files a step read and
 * wrote, as they were when it finished, and a key for everything else the
 * step depended on (tool versions, options).
 */
interface OutputStamp {
  key: string
  inputs: Record<string, FileFacts>
  outputs: Record<string, FileFacts>
  /** What the step found out and a later run would otherwise work out again (see {@link writeStamp}). */
  data?: unknown
}

/** A fresh stamp's record (see {@link readFreshStamp}). */
export interface FreshStamp<T> {
  /** The outputs (absolute paths). */
  outputs: string[]
  /** The `data` written with the stamp, or undefined when there was none. */
  data: T | undefined
}

/**
 * The {@link FileFacts} of `file` now, or undefined when it cannot be
 * statted (missing, or ENOTDIR, EACCES, ELOOP: whatever the reason, a stamp
 * naming it is stale and the step runs again). Synchronous: a no-op develop
 * stats ~15 files in a row, and each promise round trip through libuv's
 * thread pool costs more than the stat.
 */
export function factsOfFile(file: string): FileFacts | undefined {
  let stat
  try {
    stat = statSync(file, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
  return stat && { size: stat.size, mtimeMs: stat.mtimeMs }
}

/** The {@link FileFacts} of each of `files` (absolute paths), or undefined when one of them is missing. */
export async function factsOf(files: string[]): Promise<Record<string, FileFacts> | undefined> {
  const facts: Record<string, FileFacts> = {}
  for (const file of files) {
    const fileFacts = factsOfFile(file)
    if (!fileFacts) return undefined
    facts[file] = fileFacts
  }
  return facts
}

/**
 * Reads a stamp written by {@link writeStampFile}: its JSON, or undefined when
 * it is missing or unreadable, was written at another path, or does not have
 * the shape `isStamp` checks. A stamp read anywhere else (a project copied or
 * moved with its `.rusty/`) names the other project's files, and a damaged
 * one (cut short, edited, written by another rusty) cannot vouch for
 * anything: both count as stale, so the step runs again and rewrites it.
 *
 * @param stampFile the stamp's path, absolute as the writer gave it
 * @param isStamp whether a parsed object has every field the reader uses, with its type
 */
export function readStampFile<T extends object>(stampFile: string, isStamp: (value: Record<string, unknown>) => boolean): T | undefined {
  let stamp: unknown
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'))
  } catch {
    return undefined
  }
  if (!isRecord(stamp) || stamp.at !== stampFile || !isStamp(stamp)) return undefined
  return stamp as T
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether `value` is a {@link FileFacts}. */
export function isFileFacts(value: unknown): value is FileFacts {
  return isRecord(value) && typeof value.size === 'number' && typeof value.mtimeMs === 'number'
}

/** Whether `value` maps each key to a value `isValue` accepts (e.g. file paths to {@link FileFacts}). */
export function isRecordOf<V>(value: unknown, isValue: (item: unknown) => item is V): value is Record<string, V> {
  return isRecord(value) && Object.values(value).every(isValue)
}

/** Whether `value` is an array of strings. */
export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/** Whether an {@link OutputStamp} has every field {@link readFreshStamp} uses. */
function isOutputStamp(stamp: Record<string, unknown>): boolean {
  return typeof stamp.key === 'string' && isRecordOf(stamp.inputs, isFileFacts) && isRecordOf(stamp.outputs, isFileFacts)
}

/**
 * Writes `stamp` as JSON to `stampFile` (making its folder), with the file's
 * own path as its `at` field, which {@link readStampFile} checks. A new
 * stamp file gets mode 0600 (only its owner reads it): a stamp holds paths
 * and hashes, never a value of the environment (see {@link hashKey}), and
 * the mode keeps it so should a caller slip. Plain node:fs, not fs-extra: a
 * no-op develop may rewrite the TypeScript stamp, and loading fs-extra would
 * cost it ~3 ms. A folder at `stampFile` is replaced (damage in rusty's own
 * state folder).
 *
 * @throws when the file cannot be written
 */
export async function writeStampFile(stampFile: string, stamp: object): Promise<void> {
  await fs.mkdir(path.dirname(stampFile), { recursive: true })
  const write = () => atPath(stampFile, () => fs.writeFile(stampFile, JSON.stringify({ ...stamp, at: stampFile }, null, 2), { mode: 0o600 }))
  try {
    await write()
  } catch (error) {
    // A folder at the stamp's path (rusty's own, in .rusty/) is damage like any other: replace it.
    if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error
    await fs.rm(stampFile, { recursive: true, force: true })
    await write()
  }
}

/**
 * A stamp key that names what it depends on without holding it: the sha256
 * (hex) of `parts` as JSON. For keys built from the environment (CARGO_*,
 * RUST*, PATH, ...), whose values may be credentials such as
 * CARGO_REGISTRY_TOKEN: the stamp records only the digest, so a token set
 * for a develop is never written under the project. node:crypto is loaded
 * on the first call (~2.5 ms), only by the steps whose key reads the environment.
 */
export async function hashKey(parts: unknown): Promise<string> {
  const { createHash } = await import('node:crypto')
  return `sha256:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`
}

/**
 * The variables of `env` whose name `select` accepts, as `name=value` lines in
 * code-unit order of the names (not localeCompare: the first localeCompare
 * of a process loads ICU's collator, ~10 ms): the environment part of a
 * {@link hashKey}.
 */
export function environmentOf(select: (name: string) => boolean, env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && select(name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${env[name]}`)
}

/** Whether two records name the same files with the same sizes and mtimes. */
export function sameFacts(a: Record<string, FileFacts>, b: Record<string, FileFacts>): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((file) => b[file] !== undefined && a[file]!.size === b[file]!.size && a[file]!.mtimeMs === b[file]!.mtimeMs)
}

/**
 * Whether a generating step can be skipped: true when `stampFile` records
 * the same `key`, exactly these `inputs` with the same size and mtime, and
 * outputs that all still have the size and mtime they were written with
 * (so a deleted or hand-edited output counts as stale, as does any input
 * cargo rewrote). Size and mtime, not hashes: the inputs are multi-MiB
 * build artifacts, and this check runs on every no-op `rusty develop`.
 *
 * @param stampFile a JSON file written by {@link writeStamp}; missing, unreadable, damaged or written at another path means stale
 * @param key everything besides the files the outputs depend on, e.g. tool versions and flags
 * @param inputs absolute paths of the files the step reads
 * @returns the recorded outputs (absolute paths) when fresh, undefined when the step must run
 */
export async function readFreshOutputs(stampFile: string, key: string, inputs: string[]): Promise<string[] | undefined> {
  return (await readFreshStamp(stampFile, key, inputs))?.outputs
}

/**
 * {@link readFreshOutputs}, with the `data` the stamp was written with: for a
 * value derived from the inputs alone (e.g. a version read from a lockfile
 * that is one of them), which then need not be derived again.
 *
 * @returns the outputs and data when fresh, undefined when the step must run
 */
export async function readFreshStamp<T>(stampFile: string, key: string, inputs: string[]): Promise<FreshStamp<T> | undefined> {
  const stamp = readStampFile<OutputStamp>(stampFile, isOutputStamp)
  if (stamp?.key !== key) return undefined
  const inputFacts = await factsOf(inputs)
  const outputs = Object.keys(stamp.outputs)
  const outputFacts = await factsOf(outputs)
  if (!inputFacts || !outputFacts || !sameFacts(stamp.inputs, inputFacts) || !sameFacts(stamp.outputs, outputFacts)) return undefined
  return { outputs, data: stamp.data as T | undefined }
}

/**
 * Records that the step with `key` made `outputs` from `inputs` as they are
 * now (see {@link readFreshOutputs}). Call it only after every output is in
 * place; call {@link removeStamp} before the step starts changing them.
 *
 * @param data optional JSON-serialisable value derived from the inputs, handed back by {@link readFreshStamp}
 * @throws when a file is missing or the stamp cannot be written
 */
export async function writeStamp(stampFile: string, key: string, inputs: string[], outputs: string[], data?: unknown): Promise<void> {
  const [inputFacts, outputFacts] = [await factsOf(inputs), await factsOf(outputs)]
  if (!inputFacts || !outputFacts) throw new Error(`writeStamp: a file of ${[...inputs, ...outputs].join(', ')} is missing`)
  const stamp: OutputStamp = { key, inputs: inputFacts, outputs: outputFacts, data }
  await writeStampFile(stampFile, stamp)
}

/** Deletes `stampFile` if it exists (a folder there too: damage), so an interrupted step is never taken as done. */
export async function removeStamp(stampFile: string): Promise<void> {
  await fs.rm(stampFile, { recursive: true, force: true })
}
