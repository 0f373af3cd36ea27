import type { Reporter } from '../util/reporter.js'
import type { ScriptChange } from './napi-rs-scripts.js'
import type { ConfigRename } from './tool-configs.js'

/** Everything init changed or left, as {@link reportChanges} prints it; paths relative to the project. */
export interface InitChanges {
  created: readonly string[]
  edited: readonly string[]
  skipped: readonly string[]
  /** Tool configs renamed to `.cjs` (tool-configs.ts). */
  renamed?: readonly ConfigRename[]
  /** Cargo.toml changes (mergeCargoManifest's `added`). */
  cargo: readonly string[]
  scripts: readonly ScriptChange[]
  /** napi block renames (upgradeNapiConfig's `changes`). */
  napiConfig: readonly string[]
  /** The project's own test command, now `test:only`. */
  ownTest?: string
  /** Entry points left as they were, with why (pointEntries's `left`). */
  entriesLeft: readonly string[]
  /** The package's own dist/index.js is an entry point. */
  ownDist: boolean
  /** The binding's import specifier, for the hint when src/index.ts was the user's already. */
  nativeImport?: string
}

/**
 * Prints one line per change init made (created, edited, renamed, each Cargo.toml,
 * script and napi-block change) and a warning per thing it left that the user
 * must look at (entry points, their own dist/index.js, skipped files).
 */
export function reportChanges(reporter: Reporter, changes: InitChanges): void {
  if (changes.created.length) reporter.info(`Created: ${changes.created.join(', ')}`)
  if (changes.edited.length) reporter.info(`Edited: ${changes.edited.join(', ')}`)
  if (changes.renamed?.length) reporter.info(`Renamed: ${changes.renamed.map((r) => `${r.from} → ${r.to}`).join(', ')}`)
  if (changes.cargo.length) reporter.info(`Cargo.toml: added ${changes.cargo.join(', ')}`)
  for (const change of changes.scripts) {
    reporter.info(`Script "${change.script}": ${JSON.stringify(change.from)} → ${change.to === undefined ? 'removed' : JSON.stringify(change.to)} (${change.why})`)
  }
  if (changes.napiConfig.length) reporter.info(`package.json: ${changes.napiConfig.join(', ')} (@napi-rs/cli 3's names)`)
  if (changes.ownTest !== undefined) reporter.info(`Your test command (${JSON.stringify(changes.ownTest)}) is now "test:only"; "test" runs rusty develop first.`)
  for (const line of changes.entriesLeft) reporter.warn(`Left ${line}.`)
  if (changes.ownDist) {
    reporter.warn('dist/index.js is your own file and an entry point: rusty develop compiles src/index.ts to dist/index.js and will not replace your file. Move its code into src/index.ts (or another folder), delete dist/index.js, then run rusty develop.')
  }
  if (changes.skipped.length) reporter.warn(`Skipped (already there, left unchanged): ${changes.skipped.join(', ')}`)
  if (changes.nativeImport !== undefined && changes.skipped.includes('src/index.ts')) {
    reporter.info(`To export the Rust binding, add \`export * from '${changes.nativeImport}'\` to src/index.ts.`)
  }
}
