// What the benchmarks need to know about each backend: one entry each.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { execa } from 'execa'
import { benchEnv, repoRoot, tempDir } from './lib.mjs'

/**
 * Environment for wasm builds. On a machine whose rustup toolchain lacks the
 * wasm32 target, RUSTY_WASM_TOOLCHAIN names one that has it (see the README);
 * that toolchain's standard library has no LLVM bitcode, so release builds
 * there go without LTO (for rusty and the baselines alike).
 */
const wasmEnv = process.env.RUSTY_WASM_TOOLCHAIN
  ? { RUSTUP_TOOLCHAIN: process.env.RUSTY_WASM_TOOLCHAIN, CARGO_PROFILE_RELEASE_LTO: 'false' }
  : {}

/** The host's target triple (`rustc -vV`), what napi-rs passes as `--target`. */
export async function hostTriple() {
  const { stdout } = await execa('rustc', ['-vV'])
  return /^host: (\S+)$/m.exec(stdout)[1]
}

/**
 * Every backend the benchmarks know. Each entry has:
 * - `name`: the `--backend` of `rusty new`;
 * - `rawBinding`: the generated binding inside the package (relative to its
 *   root) that the package's `dist/index.js` re-exports;
 * - `artifact`: matches the compiled library's file name in `native/` (or a
 *   folder below it);
 * - `env`: optional; extra environment for every process that builds the
 *   crate (rusty and the baselines);
 * - `developBaselines(root)`: what `rusty develop` wraps, as commands to time
 *   side by side with it (`{ name, file, args, env }`), after one warm-up of
 *   each, plus a `cleanup()`;
 * - `sizeBaselines(root)`: optional; other builds of the same crate to
 *   compare the release artifact with, as `[{ name, bytes }]`.
 */
const allBackends = [
  {
    name: 'napi',
    rawBinding: 'native/index.js',
    artifact: /\.node$/,

    async developBaselines(root) {
      const out = tempDir('rusty-bench-napi-out-')
      // The project's own @napi-rs/cli, the one rusty loads.
      const napiBuild = {
        name: 'napi build (direct)',
        file: process.execPath,
        args: [path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js'), 'build', '--platform', '--esm', '-o', out, '--manifest-path', 'rust/Cargo.toml'],
        env: {},
      }
      // napi-rs gives cargo NAPI_TYPE_DEF_TMP_FOLDER, which napi-build's build
      // script watches (rerun-if-env-changed): a bare `cargo build` would
      // rebuild the crate each time it alternates with napi-rs. The warm-up
      // logs the value so plain cargo can get the same one.
      const warm = await execa(napiBuild.file, napiBuild.args, { cwd: root, stdin: 'ignore', env: benchEnv({ DEBUG: 'napi:build' }), all: true })
      const typeDefFolder = /NAPI_TYPE_DEF_TMP_FOLDER=(\S+)/.exec(warm.all)?.[1]
      if (!typeDefFolder) throw new Error(`napi build did not log NAPI_TYPE_DEF_TMP_FOLDER:\n${warm.all}`)
      const cargoBuild = {
        name: 'cargo build (no-op)',
        file: 'cargo',
        args: ['build', '--manifest-path', 'rust/Cargo.toml', '--target', await hostTriple()],
        env: { NAPI_TYPE_DEF_TMP_FOLDER: typeDefFolder },
      }
      return { commands: [cargoBuild, napiBuild], cleanup: () => fs.rmSync(out, { recursive: true, force: true }) }
    },

  },
  {
    name: 'koffi',
    // Hand-written koffi declarations of the same functions, the way one
    // would write them without rusty: the "raw koffi" the generated bindings
    // are compared with (strings freed through the same disposable type).
    rawBinding: 'raw-koffi.mjs',
    artifact: /\.(so|dylib|dll)$/,

    /** Writes the raw module (the package's dependencies are installed by withProject). */
    async setup(root) {
      fs.writeFileSync(
        `${root}/raw-koffi.mjs`,
        `import fs from 'node:fs'
import koffi from 'koffi'
const file = fs.readdirSync(new URL('./native/', import.meta.url)).find((f) => /\\.(so|dylib|dll)$/.test(f))
const lib = koffi.load(new URL('./native/' + file, import.meta.url).pathname)
const free = lib.func('rusty_string_free', 'void', ['void *'])
const RustString = koffi.disposable('char *', (ptr) => free(ptr))
const Point = koffi.struct({ x: 'double', y: 'double' })
const scale = lib.func('scale_in_place', 'double', ['double *', 'uintptr_t', 'double'])
export const add = lib.func('add', 'int32_t', ['int32_t', 'int32_t'])
export const greet = lib.func('greet', RustString, ['const char *'])
export const scaleInPlace = (values, factor) => scale(values, values.length, factor)
export const midpoint = lib.func('midpoint', Point, [Point, Point])
const priceOrderJson = lib.func('price_order_json', RustString, ['const char *'])
export const priceOrder = (order) => JSON.parse(priceOrderJson(JSON.stringify(order)))
`,
      )
    },

    async developBaselines() {
      const cargoBuild = { name: 'cargo build (no-op)', file: 'cargo', args: ['build', '--manifest-path', 'rust/Cargo.toml'], env: {} }
      return { commands: [cargoBuild], cleanup: () => {} }
    },
  },
  {
    name: 'wasm',
    // wasm-bindgen's own glue, loaded the way the package's Node entry does.
    rawBinding: 'native/node.js',
    artifact: /\.wasm$/,
    env: wasmEnv,

    async developBaselines() {
      const cargoBuild = {
        name: 'cargo build (no-op)',
        file: 'cargo',
        args: ['build', '--manifest-path', 'rust/Cargo.toml', '--target', 'wasm32-unknown-unknown'],
        env: wasmEnv,
      }
      return { commands: [cargoBuild], cleanup: () => {} }
    },

    /**
     * The crate built the way wasm-pack builds it without wasm-opt: `cargo
     * build --release --target wasm32-unknown-unknown`, then the wasm-bindgen
     * CLI (the version in Cargo.lock, from rusty's cache) with `--target web`.
     */
    async sizeBaselines(root) {
      const { stdout } = await execa(
        'cargo',
        ['build', '--release', '--manifest-path', 'rust/Cargo.toml', '--target', 'wasm32-unknown-unknown', '--message-format=json-render-diagnostics'],
        { cwd: root, stdin: 'ignore', env: benchEnv(wasmEnv) },
      )
      const cargoWasm = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter((m) => m.reason === 'compiler-artifact' && m.target.kind.includes('cdylib'))
        .flatMap((m) => m.filenames)
        .find((f) => f.endsWith('.wasm'))
      const toolchain = await import(pathToFileURL(path.join(repoRoot, 'dist', 'backends', 'wasm', 'toolchain.js')).href)
      const { createReporter } = await import(pathToFileURL(path.join(repoRoot, 'dist', 'util', 'reporter.js')).href)
      const version = await toolchain.lockedWasmBindgenVersion(path.join(root, 'rust'))
      const cli = await toolchain.ensureWasmBindgen(version, createReporter({ silent: true }))
      const out = tempDir('rusty-bench-wasm-bindgen-')
      try {
        await execa(cli, [cargoWasm, '--out-dir', out, '--out-name', 'index', '--target', 'web'], { stdin: 'ignore' })
        return [
          { name: 'cargo build --release (before wasm-bindgen)', bytes: fs.statSync(cargoWasm).size },
          { name: `wasm-pack way: + wasm-bindgen ${version}, no wasm-opt`, bytes: fs.statSync(path.join(out, 'index_bg.wasm')).size },
        ]
      } finally {
        fs.rmSync(out, { recursive: true, force: true })
      }
    },
  },
]

/** The backends to run: all, or those BENCH_BACKENDS names (comma-separated, e.g. `wasm`). */
export const backends = process.env.BENCH_BACKENDS
  ? allBackends.filter((b) => process.env.BENCH_BACKENDS.split(',').includes(b.name))
  : allBackends
