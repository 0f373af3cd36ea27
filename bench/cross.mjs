// Cross builds against a native one (koffi: cargo alone builds the crate, so
// the numbers are cargo's and the linker's, not napi-rs's). Each run rebuilds
// the crate after a touch of rust/src/lib.rs (its dependencies stay compiled)
// and links it:
// - native: `rusty develop --release`, plain cargo for the host with the
//   host's cc as linker (what `rusty build` did before the glibc floor);
// - `rusty build`: the host target linked by the glibc 2.17 cross gcc;
// - `rusty build --target aarch64-unknown-linux-gnu`: the arm64 cross gcc;
// - `rusty build --target x86_64-unknown-linux-musl`: cargo zigbuild.
// The foreign targets' std comes from RUSTY_CROSS_TOOLCHAIN (eval the output
// of ../shared/tools/foreign-platforms.sh first); the native and x86_64-gnu
// builds use the default toolchain. Each variant is warmed up once (which
// also fetches a toolchain not yet unpacked). ROUNDS (default 5) interleaved rounds.
import fs from 'node:fs'
import path from 'node:path'
import { backends } from './backends.mjs'
import { interleave, machine, printRatio, printSamples, rusty, title, withProject } from './lib.mjs'

const toolchain = process.env.RUSTY_CROSS_TOOLCHAIN
if (!toolchain) {
  console.error('RUSTY_CROSS_TOOLCHAIN is not set: run `eval "$(../shared/tools/foreign-platforms.sh)"` first (it names a toolchain with the aarch64-gnu and x86_64-musl std).')
  process.exit(1)
}
const rounds = Number(process.env.ROUNDS ?? 5)
const koffi = backends.find((b) => b.name === 'koffi')

title(`cross build vs native build (koffi crate rebuilt and linked; ${rounds} interleaved rounds)`)
console.log(`  ${await machine()}`)
await withProject(koffi, [], async (root) => {
  const lib = path.join(root, 'rust', 'src', 'lib.rs')
  const touch = () => fs.utimesSync(lib, new Date(), new Date())
  const variant = (name, args, env = {}) => ({
    name,
    async run() {
      touch()
      const start = performance.now()
      await rusty(root, args, env)
      return performance.now() - start
    },
  })
  const cross = { RUSTUP_TOOLCHAIN: toolchain }
  const variants = [
    variant('native: rusty develop --release (host cc)', ['develop', '--release']),
    variant('rusty build (x86_64-gnu, glibc 2.17 gcc)', ['build']),
    variant('rusty build --target aarch64-unknown-linux-gnu', ['build', '--target', 'aarch64-unknown-linux-gnu'], cross),
    variant('rusty build --target x86_64-unknown-linux-musl (zig)', ['build', '--target', 'x86_64-unknown-linux-musl'], cross),
  ]
  // Warm-up: dependencies compiled for every target, toolchains unpacked.
  for (const v of variants) await v.run()
  const samples = await interleave(variants, rounds)
  printSamples(samples)
  const native = Object.values(samples)[0]
  for (const [name, values] of Object.entries(samples).slice(1)) printRatio(`${name} / native`, values, native)
})
