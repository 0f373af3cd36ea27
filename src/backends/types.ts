import type { CrossBuild } from './cross-build.js'
import type { Project } from '../project/config.js'
import type { Reporter } from '../util/reporter.js'
import type { BackendInfo, BackendName } from '../project/backend-table.js'

/** What a build asks a backend to do (the backend's part of a `BuildContext`, `src/build/context.ts`). */
export interface BuildOptions {
  project: Project
  /** Cargo's release profile instead of dev. */
  release: boolean
  /** Cargo features to enable (`--features`). */
  features: string[]
  /** Cargo's `--target-dir`; undefined lets cargo decide (CARGO_TARGET_DIR or `<crate>/target`). */
  targetDir?: string
  /** Extra arguments for `cargo build`, given after `--`. */
  cargoArgs: string[]
  reporter: Reporter
  /** `--target <triple>` for cargo; default: the host. */
  target?: string
  /**
   * Set by `rusty build`: put the compiled library here, named by platform
   * (`<name>.linux-x64-gnu.node`, `lib<name>.linux-x64-gnu.so`), instead of
   * into `native/`; the loader and typings still go to `native/`.
   */
  artifactsDir?: string
  /**
   * The output target (wasm: `--wasm-target`, package.json `"rusty".wasmTarget`),
   * one of the backend's {@link BackendInfo.outputTargets}; undefined means the
   * first of them. Checked by `resolveOutputTarget` before a build starts.
   */
  outputTarget?: string
  /**
   * Set by release builds for a Linux target (`src/build/cross.ts`): link
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

/** What a build left in the project's `native/` folder. */
export interface BuildResult {
  /** Absolute paths of every file the backend installed (artifact, loader, typings). */
  files: string[]
  /** Absolute path of the compiled library itself (`.node`, `.so`/`.dylib`/`.dll`, or `.wasm`). */
  artifact: string
  /** False when every installed file was already identical (a no-op rebuild). */
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
   * Builds the crate and installs the binding into `project.nativeDir`,
   * replacing each file by rename so a failed build keeps the previous one.
   *
   * @throws RustyError when cargo or a tool fails (diagnostics already shown)
   */
  build(options: BuildOptions): Promise<BuildResult>
}

/**
 * A loaded backend: its table entry (label, capabilities) and its module
 * (`build`). Commands only talk to this, and ask capabilities, never names;
 * `loadBackend` makes one.
 */
export type Backend = BackendInfo & BackendModule
