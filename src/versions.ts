/**
 * Every version that `rusty new` writes into a generated project, in one place
 * so that an upgrade is a one-line change. Crate versions are Cargo version
 * requirements (caret semantics, see the Cargo book "Specifying dependencies");
 * npm versions are semver ranges for package.json.
 */
export const versions = {
  /** napi crate (Node-API bindings), crates.io. */
  napi: '3',
  /** napi-derive crate (the `#[napi]` macro), crates.io. */
  napiDerive: '3',
  /** napi-build crate (linker set-up in build.rs), crates.io. */
  napiBuild: '2',
  /** koffi npm package (loads a C-ABI cdylib). */
  koffi: '^3.3.4',
  /** detect-libc npm package (glibc or musl, for a koffi package's platform loader). */
  detectLibc: '^2.1.2',
  /** serde / serde_json crates for JSON across the C ABI. */
  serde: '1',
  serdeJson: '1',
  /** cbindgen crate (writes the C header in build.rs). */
  cbindgen: '0.29',
  /** wasm-bindgen crate; `rusty develop` runs the wasm-bindgen CLI of the exact version in Cargo.lock. */
  wasmBindgen: '0.2',
  /** js-sys crate (JavaScript's built-ins from Rust; the wasm template's panic hook). */
  jsSys: '0.3',
  /** wasm-bindgen-futures crate (`async fn` as a Promise). */
  wasmBindgenFutures: '0.4',
  /** serde-wasm-bindgen crate (serde values as JS objects). */
  serdeWasmBindgen: '0.6',
  /** @napi-rs/cli npm package: a napi project's build tool, loaded by rusty from the project. */
  napiCli: '^3.10.12',
  /**
   * @napi-rs/cross-toolchain npm package: napi-rs's gcc cross toolchains with
   * a glibc 2.17 sysroot, which release builds for linux-*-gnu link with
   * (a koffi project's devDependency; napi projects get it with @napi-rs/cli).
   */
  napiCrossToolchain: '^1.0.5',
  /** binaryen npm package: wasm-opt for a wasm project's release builds, loaded by rusty from the project. */
  binaryen: '^132.0.0',
  /**
   * typescript npm package: compiles every project's wrapper, loaded by rusty
   * from the project. 5.9 (the JavaScript compiler API rusty calls); 7.x is
   * the native port with another API.
   */
  typescript: '~5.9.3',
  /**
   * The Node.js versions rusty supports, as an `engines.node` range: what the
   * tools a project builds with ask for in their own `engines` (npm registry,
   * checked 2026-12): @napi-rs/cli 3.10's dependency @inquirer/prompts 8.8
   * `^22.22.2 || ^24.15.0 || >=26.0.0`, and @napi-rs/cross-toolchain's
   * @napi-rs/lzma `^22.20 || ^24.12 || >=25` (which this range is inside).
   * Yarn 1 refuses to install a project on a Node outside them, npm warns
   * (EBADENGINE); Node 20 (end of life April 2026) also lacks `require()` of
   * ES modules before 20.19, which @napi-rs/cli needs. The same range is
   * rusty-cli's and create-rusty's `engines` (a unit test checks), each
   * generated package's, `doctor`'s check and the bundle's esbuild target
   * (its lowest version); the e2e tests run the lowest and the newest Node.
   */
  node: '^22.22.2 || ^24.15.0 || >=26.0.0',
} as const

/** The shape of {@link versions}. */
export type Versions = typeof versions
