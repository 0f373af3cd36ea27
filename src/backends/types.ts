import type { CrossBuild } from './cross-build.js'
import type { Project } from '../project/config.js'
import type { CargoOptions } from '../util/cargo.js'
import type { Reporter } from '../util/reporter.js'
import type { BackendInfo, BackendName } from '../project/backend-table.js'
import type { OutputFile } from './install.js'

/**
 * What a build asks a backend to do (the backend's part of a `BuildContext`,
 * `src/pipeline/context.ts`): the cargo options, and nothing about where the
 * outputs go; the pipeline (`placement` in src/pipeline/run.ts) decides that.
 */
export interface BuildOptions extends CargoOptions {
  project: Project
  reporter: Reporter
  /**
   * Whether the backend may build incrementally from its stamps in `.rusty/`
   * (napi's fast path, koffi's and wasm's stamps): true for `rusty develop`;
   * `rusty build` and `rusty publish` keep stamps of their own.
   */
  incremental: boolean
  /**
   * The wasm target (`--wasm-target`, package.json `"rusty".wasmTarget`),
   * one of the backend's {@link BackendInfo.wasmTargets}; undefined means the
   * first of them. Checked by `resolveWasmTarget` before a build starts.
   */
  wasmTarget?: string
  /**
   * Set by release builds for a Linux target (`src/pipeline/cross.ts`): link
   * with the gnu cross toolchain (glibc 2.17 sysroot) or build with `cargo
   * zigbuild` (musl). `target` is then always the plan's triple.
   * undefined: plain cargo.
   */
  cross?: CrossBuild
}

/** A compiled library built for a platform: what `rusty build` makes, `--collect` copies and `rusty publish` ships. */
export interface Artifact {
  /** napi-rs's platform id (`linux-x64-gnu`, `darwin-arm64`), or the backend's shared id (`wasm32`) for an artifact that serves every platform. */
  platform: string
  /** Absolute path. */
  file: string
}

/**
 * What a backend built (maturin's `GeneratorOutput`): the files of the
 * binding by role, with paths relative to the package's `native/` folder.
 * The backend writes nothing into native/ itself: the pipeline places these
 * files (`src/pipeline/run.ts`, through the transaction of
 * `src/pipeline/transaction.ts`).
 */
export interface BackendBuild {
  /** The files to put in place now (only what is stale; empty for a no-op). */
  outputs: OutputFile[]
  /** Every file of the binding, relative to native/, placed now or by an earlier build. */
  files: string[]
  /** Files or folders relative to native/ that must not stay beside the new binding (another wasm target's glue). */
  stale?: string[]
  /** The compiled library (`.node`, `.so`/`.dylib`/`.dll`, `.wasm`), relative to native/. */
  library: string
  /** The library's file name in an artifacts folder (`<name>.linux-x64-gnu.node`, `lib<name>.linux-x64-gnu.so`, `<name>.wasm`). */
  artifactName: string
  /** napi-rs's platform id of the library (`linux-x64-gnu`, ...), or `wasm32` for wasm. */
  platform: string
  /** Whether the package, once placed, can be imported by this Node process's platform (the load check runs then). */
  loadsInNode: boolean
  /**
   * Writes the backend's stamps, called once every output is in place (never
   * before: a kill in between must leave no stamp that calls a half-placed
   * build done).
   *
   * @param placed the absolute path a file of {@link files} (relative to native/) was placed at
   */
  afterCommit?: (placed: (file: string) => string) => Promise<void>
}

/** What a build left in place, as `runBuild` reports it. Paths are absolute. */
export interface BuildResult {
  /** Every file of the binding (library, loader, typings). */
  files: string[]
  /** The compiled library: in native/, or in the artifacts folder for `rusty build`. */
  artifact: string
  /** False when every file was already in place (a no-op rebuild). */
  changed: boolean
  /** napi-rs's platform id of the artifact (`linux-x64-gnu`, ...), or `wasm32` for wasm. */
  platform: string
}

/**
 * What a backend's module (`src/backends/<name>/index.ts`) implements: the
 * build. Everything else rusty knows about a backend is in its entry of the
 * table (`src/project/backend-table.ts`), readable without loading this module.
 */
export interface BackendModule {
  /** The table entry this module belongs to. */
  readonly name: BackendName
  /**
   * Builds the crate and describes the binding it made; writes nothing
   * into native/ (the pipeline places the outputs).
   *
   * @throws RustyError when cargo or a tool fails (diagnostics already shown)
   */
  build(options: BuildOptions): Promise<BackendBuild>
}

/**
 * A loaded backend: its table entry (label, capabilities) and its module
 * (`build`). Commands only talk to this, and ask capabilities, never names;
 * `loadBackend` makes one.
 */
export type Backend = BackendInfo & BackendModule
