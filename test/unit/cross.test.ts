// How a release build for a Linux target is linked (src/pipeline/cross.ts) and
// the errors that name the fix (src/pipeline/cross-setup.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { RustyError } from '../../src/errors.js'
import { crossToolchainPackage, gnuToolchainEnv, hostTriple, planCross, type HostFacts } from '../../src/pipeline/cross.js'
import { assertRustStd, assertZigbuild, findCrossToolchainPackage, ZIGBUILD_INSTALL_HINT, gnuToolchainDir, prepareCross, type ProbeCommand } from '../../src/pipeline/cross-setup.js'
import { withCross } from '../../src/pipeline/run.js'
import type { BuildContext } from '../../src/pipeline/context.js'
import { createReporter } from '../../src/util/reporter.js'
import { tempDir } from '../helpers.js'

const linuxX64: HostFacts = { platform: 'linux', arch: 'x64', libc: 'glibc' }
const linuxArm64: HostFacts = { platform: 'linux', arch: 'arm64', libc: 'glibc' }
const alpineX64: HostFacts = { platform: 'linux', arch: 'x64', libc: 'musl' }
const macArm64: HostFacts = { platform: 'darwin', arch: 'arm64', libc: null }

test('gnu targets link with the glibc 2.17 cross toolchain of the host arch, the host build too', () => {
  assert.deepEqual(planCross(undefined, linuxX64), { kind: 'gnu', triple: 'x86_64-unknown-linux-gnu', hostArch: 'x64' })
  assert.deepEqual(planCross('aarch64-unknown-linux-gnu', linuxX64), { kind: 'gnu', triple: 'aarch64-unknown-linux-gnu', hostArch: 'x64' })
  assert.deepEqual(planCross('x86_64-unknown-linux-gnu', linuxArm64), { kind: 'gnu', triple: 'x86_64-unknown-linux-gnu', hostArch: 'arm64' })
  assert.equal(crossToolchainPackage({ kind: 'gnu', triple: 'aarch64-unknown-linux-gnu', hostArch: 'x64' }), '@napi-rs/cross-toolchain-x64-target-aarch64')
  assert.equal(crossToolchainPackage({ kind: 'gnu', triple: 'x86_64-unknown-linux-gnu', hostArch: 'arm64' }), '@napi-rs/cross-toolchain-arm64-target-x86_64')
})

test('musl targets build with cargo zigbuild, from any other host', () => {
  for (const triple of ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl']) {
    assert.deepEqual(planCross(triple, linuxX64), { kind: 'zig', triple })
    assert.deepEqual(planCross(triple, macArm64), { kind: 'zig', triple })
  }
  // An Alpine host building for itself links with its own cc, as before; for another arch, zig.
  assert.equal(planCross(undefined, alpineX64), undefined)
  assert.equal(planCross('x86_64-unknown-linux-musl', alpineX64), undefined)
  assert.deepEqual(planCross('aarch64-unknown-linux-musl', alpineX64), { kind: 'zig', triple: 'aarch64-unknown-linux-musl' })
})

test('everything else is plain cargo: wasm32, macOS, Windows, a gnu target from a Mac', () => {
  assert.equal(planCross('wasm32-unknown-unknown', linuxX64), undefined)
  assert.equal(planCross(undefined, macArm64), undefined)
  assert.equal(planCross('x86_64-apple-darwin', macArm64), undefined)
  assert.equal(planCross('x86_64-pc-windows-msvc', linuxX64), undefined)
  assert.equal(planCross('aarch64-unknown-linux-gnu', macArm64), undefined)
  assert.equal(planCross(undefined, { platform: 'win32', arch: 'x64', libc: null }), undefined)
  assert.equal(hostTriple({ platform: 'linux', arch: 'riscv64', libc: 'glibc' }), undefined)
})

test('the toolchain environment sets the linker, cc-rs and bindgen variables, and keeps what the user set', () => {
  const dir = '/home/u/.napi-rs/cross-toolchain/1.0.5/aarch64-unknown-linux-gnu'
  const env = gnuToolchainEnv(dir, 'aarch64-unknown-linux-gnu', {})
  assert.deepEqual(env, {
    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER: `${dir}/bin/aarch64-unknown-linux-gnu-gcc`,
    CC_aarch64_unknown_linux_gnu: `${dir}/bin/aarch64-unknown-linux-gnu-gcc`,
    CXX_aarch64_unknown_linux_gnu: `${dir}/bin/aarch64-unknown-linux-gnu-g++`,
    AR_aarch64_unknown_linux_gnu: `${dir}/bin/aarch64-unknown-linux-gnu-ar`,
    RANLIB_aarch64_unknown_linux_gnu: `${dir}/bin/aarch64-unknown-linux-gnu-ranlib`,
    BINDGEN_EXTRA_CLANG_ARGS_aarch64_unknown_linux_gnu: `--sysroot=${dir}/aarch64-unknown-linux-gnu/sysroot`,
  })
  const mine = gnuToolchainEnv(dir, 'aarch64-unknown-linux-gnu', { CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER: 'clang' })
  assert.equal(mine.CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER, undefined)
  assert.ok(mine.CC_aarch64_unknown_linux_gnu)
})

test("the toolchain is unpacked where napi-rs's --use-napi-cross looks for it", () => {
  assert.equal(gnuToolchainDir('1.0.5', 'aarch64-unknown-linux-gnu', '/home/u'), '/home/u/.napi-rs/cross-toolchain/1.0.5/aarch64-unknown-linux-gnu')
})


/** A fake of the commands cargo-zigbuild, zig and rustc: `answers` maps `file args...` to stdout; others fail. */
function fakeRun(answers: Record<string, string>): ProbeCommand & { asked: string[] } {
  const asked: string[] = []
  const run: ProbeCommand = async (file, args) => {
    const line = [file, ...args].join(' ')
    asked.push(line)
    return answers[line]
  }
  return Object.assign(run, { asked })
}

test('a missing Rust std names `rustup target add <triple>`', async () => {
  const sysroot = tempDir('rusty-sysroot-')
  fs.mkdirSync(path.join(sysroot, 'lib', 'rustlib', 'x86_64-unknown-linux-gnu', 'lib'), { recursive: true })
  const run = fakeRun({ 'rustc --print sysroot': `${sysroot}\n` })
  await assertRustStd('x86_64-unknown-linux-gnu', {}, run)
  await assert.rejects(assertRustStd('aarch64-unknown-linux-gnu', {}, run), (error: RustyError) => {
    assert.ok(error instanceof RustyError)
    assert.equal(error.exitCode, 1)
    assert.equal(error.message, `The Rust standard library for aarch64-unknown-linux-gnu is not installed in the toolchain at ${sysroot}.`)
    assert.equal(error.hint, 'Run `rustup target add aarch64-unknown-linux-gnu`.')
    return true
  })
})

test('missing cargo-zigbuild or zig names the pip install line; zig through python3 -m ziglang is found', async () => {
  await assertZigbuild({}, fakeRun({ 'cargo-zigbuild --version': 'cargo-zigbuild 0.24.1', 'python3 -m ziglang version': '0.17.1' }))
  await assertZigbuild({}, fakeRun({ 'cargo-zigbuild --version': 'cargo-zigbuild 0.24.1', 'zig version': '0.17.1' }))
  await assertZigbuild({ CARGO_ZIGBUILD_ZIG_PATH: '/opt/zig' }, fakeRun({ 'cargo-zigbuild --version': 'x', '/opt/zig version': '0.17.1' }))
  const expectFix = (what: RegExp) => (error: RustyError) => {
    assert.match(error.message, what)
    assert.equal(error.hint, ZIGBUILD_INSTALL_HINT)
    assert.match(error.hint ?? '', /^Run `cargo install --locked cargo-zigbuild` and put zig on PATH/)
    return true
  }
  await assert.rejects(assertZigbuild({}, fakeRun({ 'zig version': '0.17.1' })), expectFix(/cargo zigbuild, and cargo-zigbuild is not installed\.$/))
  await assert.rejects(assertZigbuild({}, fakeRun({ 'cargo-zigbuild --version': 'x' })), expectFix(/and zig is not installed\.$/))
  await assert.rejects(assertZigbuild({}, fakeRun({})), expectFix(/and cargo-zigbuild and zig are not installed\.$/))
})

test('a project without @napi-rs/cross-toolchain gets the devDependency to install', () => {
  const root = tempDir('rusty-no-toolchain-')
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x"}')
  assert.throws(() => findCrossToolchainPackage(root), (error: RustyError) => {
    assert.match(error.message, /^@napi-rs\/cross-toolchain is not installed in /)
    assert.equal(error.hint, "Run `npm i -D '@napi-rs/cross-toolchain@^1.0.5'`.")
    return true
  })
})

test('a musl plan is checked for its std before zig, and adds no environment', async () => {
  const sysroot = tempDir('rusty-sysroot-')
  fs.mkdirSync(path.join(sysroot, 'lib', 'rustlib', 'x86_64-unknown-linux-musl', 'lib'), { recursive: true })
  const run = fakeRun({ 'rustc --print sysroot': sysroot, 'cargo-zigbuild --version': 'x', 'zig version': '0.17.1' })
  const ready = await prepareCross({ kind: 'zig', triple: 'x86_64-unknown-linux-musl' }, '/nowhere', createReporter({ silent: true }), {}, run)
  assert.deepEqual(ready.env, {})
  assert.equal(run.asked[0], 'rustc --print sysroot')
})

test('withCross leaves wasm and non-Linux builds alone (a floor below 2.17 is refused when the project is read: build-context.test.ts)', async () => {
  const context = (target: string | undefined, rustTarget: string | undefined) =>
    ({
      target,
      backend: { rustTarget },
      project: { root: '/nowhere', packageJson: { name: 'x', rusty: { backend: 'koffi', crate: 'rust' } }, packageJsonPath: '/nowhere/package.json' },
      reporter: createReporter({ silent: true }),
    }) as unknown as BuildContext
  const wasm = context(undefined, 'wasm32-unknown-unknown')
  assert.equal(await withCross(wasm, linuxX64), wasm)
  const mac = context(undefined, undefined)
  assert.equal(await withCross(mac, macArm64), mac)
})
