import { RustyError } from '../errors.js'
import type { Versions } from '../versions.js'
import type { ProjectTool } from './tools.js'

/**
 * The wasm backend's targets (`--wasm-target`, `"rusty".wasmTarget`),
 * the default first.
 */
export const WASM_TARGETS = ['universal', 'nodejs', 'web', 'bundler'] as const

/**
 * What a backend's package.json fields are made from: the part of a new
 * project's template context (`TemplateContext`, template-context.ts) the
 * table reads.
 */
export interface PackageFieldsContext {
  /** npm package name, e.g. `@acme/fast-math`. */
  readonly name: string
  /** Rust library name, e.g. `fast_math`. */
  readonly libName: string
  /** Versions of everything the generated files depend on (`src/versions.ts`). */
  readonly versions: Versions
}

/**
 * How a backend's compiled libraries are named in the artifacts folder
 * (`rusty build`, `--collect`, `rusty publish`).
 */
export interface ArtifactNaming {
  /** File extensions of the compiled library, without the dot (`node`; `so`, `dylib`, `dll`; `wasm`). */
  readonly extensions: readonly string[]
  /**
   * undefined: one artifact per platform, named `<stem>.<platform>.<ext>`
   * with napi-rs's platform id (`hello.linux-x64-gnu.node`). Set: one
   * artifact that serves every platform, named `<stem>.<ext>`, whose platform
   * id is this value (`wasm32`).
   */
  readonly platform?: string
  /**
   * For an artifact that ships inside the main package (one that serves
   * every platform): its file name there, under native/ (`index_bg.wasm`).
   * `rusty publish` puts the artifact from the artifacts folder (the release
   * build) at each packed file of that name, whatever a later `rusty
   * develop` left in native/.
   */
  readonly packagedAs?: string
}

/**
 * What rusty knows about a backend without loading its code: the prompt's
 * label, what a new project of it looks like, and the capabilities commands
 * ask instead of comparing names. Data only: `--help` and `rusty new` read
 * it, and the backend's code (`loadBackend` in src/backends/index.ts) is
 * imported only to build.
 */
export interface BackendSpec {
  /** One line for prompts and help, e.g. "napi: a Node-API addon built with napi-rs (.node)". */
  readonly label: string
  /** The backend `new` and `init` use when none is given (exactly one entry). */
  readonly default?: true
  /** The specifier the package's TypeScript imports the binding by (`../native/index.js`, `#native`). */
  readonly nativeImport: string
  /**
   * The build tools, besides typescript, that a project of this backend pins
   * in its devDependencies and rusty loads from the project
   * (`src/project/tools.ts`), e.g. `@napi-rs/cli`.
   */
  readonly buildTools: readonly ProjectTool[]
  /**
   * Tools a project of this backend pins in its devDependencies for release
   * builds only (`rusty build`, `rusty publish`), which `develop` never
   * loads: `@napi-rs/cross-toolchain`, the gnu cross toolchain Linux
   * artifacts link with (`src/pipeline/cross.ts`). napi projects get it as a
   * dependency of @napi-rs/cli. undefined: none.
   */
  readonly releaseTools?: readonly ProjectTool[]
  /**
   * True when each platform's artifact ships in its own npm package
   * (`<name>-<platform>`, an optionalDependency of the main package) and CI
   * builds one per platform; false when the main package carries the one
   * artifact that runs everywhere.
   */
  readonly platformPackages: boolean
  /**
   * The Rust target triple every build of this backend is for
   * (`wasm32-unknown-unknown`); undefined: the host, or `--target`. `doctor`
   * checks that its standard library is installed; CI installs it. (A
   * triple, what cargo's `--target` takes; not cargo's target directory,
   * `targetDir`, nor the backend's output target, `wasmTargets`.)
   */
  readonly rustTarget?: string
  /**
   * The wasm targets a build can make (the backend's `--wasm-target` /
   * `"rusty".wasmTarget`), the default first; undefined for a backend that
   * has none (the option is an error there).
   */
  readonly wasmTargets?: readonly string[]
  /** How its artifacts are named. */
  readonly artifacts: ArtifactNaming
  /**
   * CLIs rusty runs at exactly the version of the same-named crate in the
   * project's Cargo.lock, built once with `cargo install` into rusty's cache
   * folder `<cache>/<name>/<version>` (`wasm-bindgen`). `doctor` reports
   * them; the CI workflow caches that folder by the locked version.
   */
  readonly lockedClis?: readonly string[]
  /**
   * npm packages a project of this backend needs installed to load its
   * binding (`koffi`); `doctor` checks them in the folder it runs in.
   */
  readonly runtimePackages?: readonly string[]
  /**
   * npm packages among a new project's dependencies whose install script
   * must run (koffi's checks for, or builds, its native module). pnpm ≥ 10
   * runs no dependency's script it is not told to (pnpm 11+ fails the
   * install: ERR_PNPM_IGNORED_BUILDS), so a project made with pnpm lists
   * them in pnpm-workspace.yaml (`src/project/package-manager-files.ts`).
   */
  readonly builtDependencies?: readonly string[]
  /**
   * The Cargo dependencies `init` adds to an existing crate: what building
   * and exporting need, never the template's example dependencies (serde,
   * wasm-bindgen-futures, ...). undefined: the template's dependencies.
   */
  readonly initCrateDependencies?: { readonly dependencies: readonly string[]; readonly 'build-dependencies': readonly string[] }
  /**
   * Fields this backend adds to a new project's package.json (dependencies,
   * a `napi` block, ...), merged over the common ones; `init` merges each
   * of these keys with the package's own.
   */
  packageJsonFields(context: PackageFieldsContext): Record<string, unknown>
}

// The one table of backends: every list of names, the default, the CLI's
// choices and every capability check derive from it. It is data only and
// sits at the bottom of project/ (it imports nothing of rusty's at run time
// but errors.ts), so every layer may read it: project/ (the "rusty" block,
// new projects), backends/ (whose code joins it in `loadBackend`),
// publish/, workflows/, commands/. Reading it never pays for napi-rs, koffi
// or wasm-bindgen code.
const TABLE = {
  napi: {
    label: 'napi: a Node-API addon built with napi-rs (.node)',
    default: true,
    nativeImport: '../native/index.js',
    buildTools: ['@napi-rs/cli'],
    platformPackages: true,
    artifacts: { extensions: ['node'] },
    initCrateDependencies: { dependencies: ['napi', 'napi-derive'], 'build-dependencies': ['napi-build'] },
    packageJsonFields(context: PackageFieldsContext) {
      // napi-rs reads its settings from package.json's "napi" field
      // (@napi-rs/cli `UserNapiConfig`): binaryName names the `.node` file,
      // packageName prefixes the per-platform packages the loader looks for.
      return {
        napi: {
          binaryName: context.libName,
          packageName: context.name,
          targets: ['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin', 'x86_64-pc-windows-msvc'],
        },
      }
    },
  },
  koffi: {
    label: 'koffi: a C-ABI cdylib loaded with koffi, with generated bindings',
    nativeImport: '../native/index.js',
    buildTools: [],
    releaseTools: ['@napi-rs/cross-toolchain'],
    platformPackages: true,
    artifacts: { extensions: ['so', 'dylib', 'dll'] },
    runtimePackages: ['koffi'],
    // rusty's generated bindings need only the C header (cbindgen); serde is the template's lib.rs's.
    initCrateDependencies: { dependencies: [], 'build-dependencies': ['cbindgen'] },
    builtDependencies: ['koffi'],
    packageJsonFields(context: PackageFieldsContext) {
      return { dependencies: { koffi: context.versions.koffi, 'detect-libc': context.versions.detectLibc } }
    },
  },
  wasm: {
    label: 'wasm: WebAssembly with wasm-bindgen, one package for Node and browsers',
    nativeImport: '#native',
    buildTools: ['binaryen'],
    platformPackages: false,
    rustTarget: 'wasm32-unknown-unknown',
    wasmTargets: WASM_TARGETS,
    artifacts: { extensions: ['wasm'], platform: 'wasm32', packagedAs: 'index_bg.wasm' },
    lockedClis: ['wasm-bindgen'],
    initCrateDependencies: { dependencies: ['wasm-bindgen'], 'build-dependencies': [] },
    packageJsonFields() {
      return {
        // Subpath imports (Node.js "Packages" docs, "imports"): Node takes
        // "default", browsers and bundlers "browser", TypeScript "types".
        imports: {
          '#native': { types: './native/index.d.ts', browser: './native/browser.js', default: './native/node.js' },
        },
      }
    },
  },
} satisfies Record<string, BackendSpec>

/** A backend's name, as written in package.json's `"rusty".backend` (a key of the table). */
export type BackendName = keyof typeof TABLE

/** A backend's entry in the table, with its name. */
export interface BackendInfo extends BackendSpec {
  readonly name: BackendName
}

/** Every backend, in the order prompts and messages list them. */
export const BACKENDS: readonly BackendInfo[] = (Object.keys(TABLE) as BackendName[]).map((name) => ({ name, ...TABLE[name] }))

/** The backends' names, in {@link BACKENDS} order. */
export const BACKEND_NAMES: readonly BackendName[] = BACKENDS.map((b) => b.name)

/** The backend `new` and `init` use when none is given. */
export const DEFAULT_BACKEND: BackendName = BACKENDS.find((b) => b.default)!.name

/** Whether `name` is one of {@link BACKEND_NAMES}. */
export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(TABLE, name)
}

/**
 * The table's entry for `name`.
 *
 * @throws RustyError (exit 2) for a name that is not one of {@link BACKEND_NAMES}
 */
export function backendInfo(name: string): BackendInfo {
  const info = BACKENDS.find((b) => b.name === name)
  if (!info) throw new RustyError(`Unknown backend ${JSON.stringify(name)}: use one of ${BACKEND_NAMES.join(', ')}.`, { exitCode: 2 })
  return info
}
