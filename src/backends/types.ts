import type { BackendName, Project } from '../project/config.js'
import type { Reporter } from '../util/reporter.js'
import type { ProjectTool } from '../project/tools.js'
import type { Versions } from '../versions.js'

/** Values a new project's templates are rendered with. */
export interface TemplateContext {
  /** npm package name, e.g. `@acme/fast-math`. */
  name: string
  /** Cargo package name, e.g. `fast-math`. */
  crateName: string
  /** Rust library name, e.g. `fast_math`. */
  libName: string
  /** One-line description for package.json, Cargo.toml and the README. */
  description: string
  /** Initial version of both the npm package and the crate (semver). */
  version: string
  /** The backend's name, e.g. `napi`. */
  backend: BackendName
  /** The crate's folder relative to the package root (`rust`). */
  crateDir: string
  /** Versions of everything the generated files depend on (`src/versions.ts`). */
  versions: Versions
  /** The version range of rusty the project's devDependencies ask for. */
  rustyRange: string
}

/** What `rusty develop` asks a backend to do. */
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
   * The output target (`--wasm-target`, package.json `"rusty".wasmTarget`),
   * one of the backend's {@link Backend.wasmTargets}; undefined means the
   * first of them. Checked by `resolveWasmTarget` before a build starts.
   */
  wasmTarget?: string
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
  /**
   * True when the artifact ships in its own platform package (napi, koffi);
   * false when the main package carries it (wasm).
   */
  platformPackage: boolean
}

/**
 * A way to turn the crate into something Node can import. Commands only talk
 * to this interface; each backend lives in `src/backends/<name>/index.ts` and is
 * loaded on demand by `loadBackend`.
 */
export interface Backend {
  readonly name: BackendName
  /** One line for prompts and help, e.g. "napi-rs: a Node-API addon (.node)". */
  readonly label: string
  /** The specifier the package's TypeScript imports the binding by (`../native/index.js`, `#native`). */
  readonly nativeImport: string
  /**
   * The output targets this backend can build (`--wasm-target`), the default
   * first; undefined for a backend that has none (the option is an error there).
   */
  readonly wasmTargets?: readonly string[]
  /**
   * The build tools, besides typescript, that a project of this backend pins
   * in its devDependencies and rusty loads from the project
   * (`src/project/tools.ts`), e.g. `@napi-rs/cli`.
   */
  readonly buildTools: readonly ProjectTool[]
  /**
   * Fields this backend adds to a new project's package.json (dependencies,
   * a `napi` block, ...), merged over the common ones.
   */
  packageJsonFields(context: TemplateContext): Record<string, unknown>
  /**
   * Builds the crate and installs the binding into `project.nativeDir`,
   * replacing each file by rename so a failed build keeps the previous one.
   *
   * @throws RustyError when cargo or a tool fails (diagnostics already shown)
   */
  build(options: BuildOptions): Promise<BuildResult>
}
