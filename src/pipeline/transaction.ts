import fs from 'node:fs/promises'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import type { Project } from '../project/config.js'
import { copyFileAtomic } from '../util/files.js'

/**
 * The build transaction: every output of a develop is written into a
 * staging folder (`.rusty/stage`, on the package's own file system, so a
 * rename moves it), checked there, and only then moved into native/ and
 * dist/ file by file, by rename, in an order in which no file imports one
 * that is not there yet. The moves are listed first in a commit journal
 * (`.rusty/commit-journal.json`); a run killed during the commit is finished
 * by the next one ({@link recoverBuildState}). A failure or a kill before the
 * commit leaves native/ and dist/ exactly as they were. No temporary file is
 * ever written inside native/ or dist/.
 */

/** One file of a commit: the staged file, moved to its place. Absolute paths. */
export interface Move {
  from: string
  to: string
}

/** What a commit does, in order: the moves, then the removals (stale files or folders). Absolute paths. */
export interface Journal {
  moves: Move[]
  removals: string[]
}

/** The staging folder of `project`. */
export function stageDirOf(project: Pick<Project, 'stateDir'>): string {
  return path.join(project.stateDir, 'stage')
}

/** The commit journal of `project`. */
export function journalFileOf(project: Pick<Project, 'stateDir'>): string {
  return path.join(project.stateDir, 'commit-journal.json')
}

/**
 * A staging folder: a mirror of the package's folders (its files hard-linked,
 * so mirroring a 14 MiB library costs one link), into which new outputs are
 * written at the same relative paths. A mirrored file is unlinked before it
 * is written, so the file in the package is never written through its link.
 */
export class Stage {
  /**
   * @param root the package root; staged paths mirror paths below it
   * @param dir the staging folder (emptied by {@link open})
   */
  constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  /**
   * Empties the staging folder and mirrors each folder of `mirrored` (absolute,
   * below `root`) into it; a missing folder is skipped.
   */
  async open(mirrored: string[]): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true })
    await fs.mkdir(this.dir, { recursive: true })
    for (const folder of mirrored) {
      if (!existsSync(folder)) continue
      for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue
        const file = path.join(entry.parentPath, entry.name)
        const staged = this.staged(file)
        await fs.mkdir(path.dirname(staged), { recursive: true })
        // A hard link where the file system allows it, else a copy.
        await fs.link(file, staged).catch(() => fs.copyFile(file, staged))
      }
    }
  }

  /**
   * The staged path of the final path `file`: the same path below the
   * staging folder, or for a file outside the package root (an artifacts
   * folder given as an absolute path) a path below `.outside/`.
   */
  staged(file: string): string {
    const relative = path.relative(this.root, file)
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      return path.join(this.dir, '.outside', relative.replace(/^(\.\.[\\/])+/, '').replace(/[:\\/]/g, '_'))
    }
    return path.join(this.dir, relative)
  }

  /**
   * Writes the staged file of the final path `file` from `source`, unless
   * `file` already holds those bytes (not checked when `unchecked`).
   *
   * @returns whether `file` is to be replaced (its staged file was written)
   */
  async put(file: string, source: { file: string } | { content: string | Buffer }, unchecked = false): Promise<boolean> {
    const staged = this.staged(file)
    let bytes: Buffer | undefined
    if (!unchecked) {
      bytes = 'content' in source ? Buffer.from(source.content) : await fs.readFile(source.file)
      const current = await fs.readFile(file).catch(() => undefined)
      if (current?.equals(bytes)) return false
    }
    await fs.rm(staged, { force: true })
    await fs.mkdir(path.dirname(staged), { recursive: true })
    if (bytes) await fs.writeFile(staged, bytes)
    else if ('content' in source) await fs.writeFile(staged, source.content)
    else await fs.copyFile(source.file, staged)
    return true
  }

  /** Removes the staged copy of the final path `file` (a file or folder): it is stale. */
  async remove(file: string): Promise<void> {
    await fs.rm(this.staged(file), { recursive: true, force: true })
  }
}

/**
 * Commits `journal`: writes it to `journalFile` (by rename, so a kill leaves
 * the old journal or the whole new one), applies it, and removes it.
 *
 * @throws the file system's error; the journal then stays and the next run
 *   finishes the commit ({@link recoverBuildState})
 */
export async function commit(journalFile: string, journal: Journal): Promise<void> {
  const temporary = `${journalFile}.tmp`
  await fs.writeFile(temporary, JSON.stringify(journal))
  await fs.rename(temporary, journalFile)
  await applyJournal(journal)
  await fs.rm(journalFile, { force: true })
}

/**
 * Applies `journal` in its order: each move whose staged file is still
 * there (a rename, or a copy and rename across file systems), then each
 * removal. Safe to run again after a kill: a move already done has no
 * staged file left, and a removal of nothing does nothing.
 */
export async function applyJournal(journal: Journal): Promise<void> {
  for (const [index, move] of journal.moves.entries()) {
    if (!existsSync(move.from)) continue
    await fs.mkdir(path.dirname(move.to), { recursive: true })
    try {
      await fs.rename(move.from, move.to)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
      await copyFileAtomic(move.from, move.to)
      await fs.rm(move.from, { force: true })
    }
    if (index === 0) await pauseAt('commit')
  }
  for (const removal of journal.removals) await fs.rm(removal, { recursive: true, force: true })
}

/**
 * Makes `project`'s state whole before a build: finishes a commit a killed
 * run left in its journal, then removes what such a run left behind: the
 * staging folder, the backends' work folders in `.rusty/` (`napi`, `wasm`,
 * napi-rs's `.napi*` stage folders, `koffi-check-*`, publish's
 * `publish/load-check`), and any `.<name>.tmp`
 * file an older rusty's copy-and-rename left in native/ or dist/.
 *
 * @returns whether a journal was replayed
 */
export async function recoverBuildState(project: Pick<Project, 'stateDir' | 'nativeDir' | 'root'>): Promise<boolean> {
  const journalFile = journalFileOf(project)
  let replayed = false
  if (existsSync(journalFile)) {
    const journal = await readJournal(journalFile)
    if (journal) await applyJournal(journal)
    await fs.rm(journalFile, { force: true })
    replayed = journal !== undefined
  }
  await removeLeftovers(project)
  return replayed
}

/** The journal in `file`, or undefined when it is damaged (a kill before its rename cannot damage it; a hand edit can). */
async function readJournal(file: string): Promise<Journal | undefined> {
  try {
    const journal = JSON.parse(await fs.readFile(file, 'utf8')) as Journal
    const isMove = (m: unknown) => typeof (m as Move)?.from === 'string' && typeof (m as Move)?.to === 'string'
    if (!Array.isArray(journal.moves) || !journal.moves.every(isMove) || !Array.isArray(journal.removals)) return undefined
    return { moves: journal.moves, removals: journal.removals.filter((r): r is string => typeof r === 'string') }
  } catch {
    return undefined
  }
}

/** Work folders the backends and the transaction keep in `.rusty/` during one run. */
const LEFTOVER = /^(stage|napi|wasm|\.napi.*|koffi-check-\d+|commit-journal\.json\.tmp)$/

/**
 * Work folders deeper in `.rusty/`: publish's temporary app
 * (src/publish/verify.ts), which a kill during its install leaves.
 */
const LEFTOVER_DEEP = [path.join('publish', 'load-check')]

/** Removes what {@link recoverBuildState} lists; a no-op develop pays two folder reads. */
export async function removeLeftovers(project: Pick<Project, 'stateDir' | 'nativeDir' | 'root'>): Promise<void> {
  const state = (existsSync(project.stateDir) ? readdirSync(project.stateDir, { withFileTypes: true }) : []).filter((entry) => LEFTOVER.test(entry.name))
  for (const entry of state) await fs.rm(path.join(project.stateDir, entry.name), { recursive: true, force: true })
  for (const folder of LEFTOVER_DEEP.map((name) => path.join(project.stateDir, name))) {
    if (existsSync(folder)) await fs.rm(folder, { recursive: true, force: true })
  }
  for (const folder of [project.nativeDir, path.join(project.root, 'dist')]) {
    if (!existsSync(folder)) continue
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /^\..+\.tmp$/.test(entry.name)) await fs.rm(path.join(entry.parentPath, entry.name), { force: true })
    }
  }
}

/**
 * The test hook for the fault tests (test/transaction-faults.ts): when
 * RUSTY_TEST_PAUSE_AT names `point`, says so on stderr and waits for the
 * test's SIGKILL. Points: `built` (the backend is done, nothing staged),
 * `staging` (one output staged), `commit` (the first file moved).
 */
export async function pauseAt(point: 'built' | 'staging' | 'commit'): Promise<void> {
  if (process.env.RUSTY_TEST_PAUSE_AT !== point) return
  process.stderr.write(`rusty: paused at ${point}\n`)
  await new Promise(() => setInterval(() => {}, 60_000))
}
