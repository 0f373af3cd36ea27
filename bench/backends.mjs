// What the benchmarks need to know about each backend. Adding koffi or wasm
// is one more entry in `backends`.
import fs from 'node:fs'
import { execa } from 'execa'
import { benchEnv, napiCliPath, tempDir } from './lib.mjs'

/** The host's target triple (`rustc -vV`), what napi-rs passes as `--target`. */
export async function hostTriple() {
  const { stdout } = await execa('rustc', ['-vV'])
  return /^host: (\S+)$/m.exec(stdout)[1]
}

/**
 * The backends to benchmark. Each entry has:
 * - `name`: the `--backend` of `rusty new`;
 * - `rawBinding`: the generated binding inside the package (relative to its
 *   root) that the package's `dist/index.js` re-exports;
 * - `artifact`: matches the compiled library's file name in `native/`;
 * - `developBaselines(root)`: what `rusty develop` wraps, as commands to time
 *   side by side with it (`{ name, file, args, env }`), after one warm-up of
 *   each, plus a `cleanup()`;
 * - `trace`: optional; an `env` that makes `rusty develop` log its steps,
 *   `marks` `[label, regex]` (each label names the time up to the first
 *   stderr line the regex matches) and a `tail` label for the rest.
 */
export const backends = [
  {
    name: 'napi',
    rawBinding: 'native/index.js',
    artifact: /\.node$/,

    async developBaselines(root) {
      const out = tempDir('rusty-bench-napi-out-')
      const napiBuild = {
        name: 'napi build (direct)',
        file: process.execPath,
        args: [napiCliPath, 'build', '--platform', '--esm', '-o', out, '--manifest-path', 'rust/Cargo.toml'],
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

    trace: {
      env: { DEBUG: 'napi:build' },
      marks: [
        ['node start, rusty + @napi-rs/cli load, build lock, cargo --version', /napi build command receive options/],
        ['napi-rs setup (cargo metadata)', /Start building crate/],
        ['cargo build (no-op)', /Build crate \S+ successfully/],
        ['napi-rs: copy .node to its staging dir, typings (loads TypeScript), loader', /Writing js binding to/],
        ['napi-rs: commit staged files to its output dir; rusty: compare/install into native/', /Compiling the TypeScript wrapper/],
      ],
      tail: 'rusty: TypeScript stamp check, release lock, exit',
    },
  },
]
