// What a backend is given for a release build for a Linux target: the plan
// and the environment cargo needs. The pipeline (src/pipeline/cross.ts,
// cross-setup.ts) makes them; the backends only read them, so the types
// live here, below the pipeline.

/**
 * How a release artifact (`rusty build`, `rusty publish`) for a Linux target
 * is linked, so that no linker is ever set up by hand:
 *
 * - `gnu`: a `*-unknown-linux-gnu` target from a Linux x64 or arm64 host is
 *   linked by napi-rs's cross toolchain (`@napi-rs/cross-toolchain`: a gcc
 *   whose sysroot is glibc 2.17, shipped in npm packages), whether the target
 *   is the host's own or another architecture's. The artifact then needs at
 *   most GLIBC_2.17, whatever glibc the build machine has.
 * - `zig`: a `*-unknown-linux-musl` target is built with `cargo zigbuild`
 *   (cargo-zigbuild + zig, as maturin `--zig` and napi-rs `-x` do): no npm
 *   package ships a musl cross linker.
 *
 * Anything else (wasm32, macOS, Windows, a gnu target from a non-Linux
 * host) is built by plain cargo, as before.
 */
export type CrossPlan =
  | { readonly kind: 'gnu'; readonly triple: string; readonly hostArch: CrossHostArch }
  | { readonly kind: 'zig'; readonly triple: string }

/** The host architectures napi-rs publishes cross toolchains for (its npm packages `@napi-rs/cross-toolchain-<arch>-target-*`). */
export type CrossHostArch = 'x64' | 'arm64'

/** A {@link CrossPlan} made ready: its toolchain checked or unpacked, and what cargo needs to use it. */
export interface CrossBuild {
  readonly plan: CrossPlan
  /** Variables to add to cargo's environment (gnu: the linker, CC, AR, ...); empty for zig. */
  readonly env: Readonly<Record<string, string>>
  /** gnu: the unpacked toolchain folder (`~/.napi-rs/cross-toolchain/<version>/<triple>`). */
  readonly toolchainDir?: string
}
