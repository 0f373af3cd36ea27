import type { CrossPlan } from '../backends/cross-build.js'

/** The machine a build runs on: `process.platform`, `process.arch`, and on Linux the C library family (detect-libc: `'glibc'`, `'musl'`, or null). */
export interface HostFacts {
  platform: NodeJS.Platform | string
  arch: string
  libc: string | null
}

/**
 * The target architectures of the gnu cross toolchain rusty uses, by triple,
 * each with the architecture part of napi-rs's toolchain package name
 * (`@napi-rs/cross-toolchain-x64-target-aarch64`; the package list of
 * @napi-rs/cross-toolchain 1.0's index.js).
 */
const GNU_TARGETS: Readonly<Record<string, string>> = {
  'x86_64-unknown-linux-gnu': 'x86_64',
  'aarch64-unknown-linux-gnu': 'aarch64',
}

/** The musl targets `cargo zigbuild` builds (zig ships musl for both). */
const MUSL_TARGETS = new Set(['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'])

/**
 * The target triple a host build would have (`x86_64-unknown-linux-gnu` on a
 * glibc x64 Linux), or undefined for a host rusty takes no cross path on.
 */
export function hostTriple(host: HostFacts): string | undefined {
  if (host.platform !== 'linux') return undefined
  const arch = host.arch === 'x64' ? 'x86_64' : host.arch === 'arm64' ? 'aarch64' : undefined
  if (!arch) return undefined
  return `${arch}-unknown-linux-${host.libc === 'musl' ? 'musl' : 'gnu'}`
}

/**
 * How a release artifact for `target` (undefined: the host) is linked on
 * `host`; undefined: plain `cargo build` with whatever cargo is configured
 * with. Pure: no process is started.
 *
 * A gnu target needs a Linux x64/arm64 host (the toolchain's gcc runs
 * there); a musl target any host zig runs on, except a musl host building
 * for its own triple (its cc links musl already). Neither applies to a
 * non-Linux host building for itself (no `target`).
 */
export function planCross(target: string | undefined, host: HostFacts): CrossPlan | undefined {
  const triple = target ?? hostTriple(host)
  if (triple === undefined) return undefined
  // A musl host (Alpine) building for itself links with its own cc and musl, as before.
  if (MUSL_TARGETS.has(triple)) return triple === hostTriple(host) ? undefined : { kind: 'zig', triple }
  const hostArch = host.platform === 'linux' && (host.arch === 'x64' || host.arch === 'arm64') ? host.arch : undefined
  if (Object.hasOwn(GNU_TARGETS, triple) && hostArch) return { kind: 'gnu', triple, hostArch }
  return undefined
}

/**
 * The npm package holding the gnu cross toolchain for `plan`, e.g.
 * `@napi-rs/cross-toolchain-x64-target-aarch64` (a `package/<triple>.tar.xz`
 * of the toolchain folder).
 */
export function crossToolchainPackage(plan: Extract<CrossPlan, { kind: 'gnu' }>): string {
  return `@napi-rs/cross-toolchain-${plan.hostArch}-target-${GNU_TARGETS[plan.triple]}`
}

/**
 * The environment cargo links a `gnu` plan's target with, from the unpacked
 * toolchain folder `dir` (`bin/<triple>-gcc`, `<triple>/sysroot`): the
 * linker (`CARGO_TARGET_<TRIPLE>_LINKER`, the Cargo book's "Configuration"
 * environment variables) and, for crates that compile C through the cc crate,
 * `CC_<triple>`/`CXX_<triple>`/`AR_<triple>` (cc-rs "External configuration
 * via environment variables") and bindgen's sysroot. The variable names are
 * the ones napi-rs's `--use-napi-cross` sets (@napi-rs/cli
 * `napiCrossToolchainEnvs`). A variable `env` already sets is left to the user.
 *
 * @returns only the variables to add
 */
export function gnuToolchainEnv(dir: string, triple: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const bin = (tool: string) => `${dir}/bin/${triple}-${tool}`
  const sysroot = `${dir}/${triple}/sysroot`
  const underscored = triple.replace(/-/g, '_')
  const wanted: Record<string, string> = {
    [`CARGO_TARGET_${underscored.toUpperCase()}_LINKER`]: bin('gcc'),
    [`CC_${underscored}`]: bin('gcc'),
    [`CXX_${underscored}`]: bin('g++'),
    [`AR_${underscored}`]: bin('ar'),
    [`RANLIB_${underscored}`]: bin('ranlib'),
    [`BINDGEN_EXTRA_CLANG_ARGS_${underscored}`]: `--sysroot=${sysroot}`,
  }
  return Object.fromEntries(Object.entries(wanted).filter(([name]) => !env[name]))
}
