import { scanRustSources } from '../../project/rust-sources.js'

/** A synchronous `#[napi]` function or method without `catch_unwind`. */
export interface UncaughtPanicSite {
  /** The file, relative to the crate folder, `/`-separated. */
  file: string
  /** 1-based line of the `#[napi...]` attribute. */
  line: number
  /** The Rust function's name. */
  fn: string
}

/**
 * The synchronous functions and methods exported with `#[napi]` in `source`
 * whose attribute lacks `catch_unwind`. A panic in one of them unwinds into
 * Node-API's C frames, which aborts the whole Node process ("failed to
 * initiate panic"); with `#[napi(catch_unwind)]` napi-rs turns it into a
 * thrown Error carrying the panic message (napi-derive's `catch_unwind`
 * option). `async fn`s need nothing: napi-rs rejects their Promise.
 *
 * A line-based reading (attribute, then doc comments and other attributes,
 * then the `fn`), good enough for a warning; it never fails a build.
 *
 * @param source the text of one `.rs` file
 * @returns each site's 1-based line and function name
 */
export function uncaughtPanicSites(source: string): { line: number; fn: string }[] {
  const sites: { line: number; fn: string }[] = []
  const lines = source.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const attr = /^\s*#\[napi(?:\((.*)\))?\]\s*$/.exec(lines[i]!)
    if (!attr || /\bcatch_unwind\b/.test(attr[1] ?? '')) continue
    let j = i + 1
    while (j < lines.length && /^\s*(#\[|\/\/|$)/.test(lines[j]!)) j++
    const item = /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(async|unsafe|const|extern\s+"[^"]*")\s+)*fn\s+([A-Za-z_][\w]*)/.exec(lines[j] ?? '')
    if (!item || /\basync\b/.test(lines[j]!)) continue
    sites.push({ line: i + 1, fn: item[2]! })
  }
  return sites
}

/**
 * {@link uncaughtPanicSites} of every `.rs` file below `<crateDir>/src`.
 *
 * @param crateDir the crate's folder (holding Cargo.toml)
 */
export function findUncaughtPanicSites(crateDir: string): UncaughtPanicSite[] {
  return scanRustSources(crateDir, uncaughtPanicSites)
}
