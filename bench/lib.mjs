// Shared helpers for the benchmark scripts: where things are, timing,
// interleaved repetition, medians, printing, and throw-away projects.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'

/** The rusty repository. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url))
/** The built CLI (`npm run build` first). */
export const cliPath = path.join(repoRoot, 'bin', 'rusty.js')
/** napi-rs's own CLI, the one rusty depends on. */
export const napiCliPath = path.join(repoRoot, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
/**
 * One cargo target dir for every benchmark, so dependencies compile once per
 * machine, not once per run. Override with RUSTY_BENCH_TARGET_DIR.
 */
export const targetDir = process.env.RUSTY_BENCH_TARGET_DIR ?? path.join(os.homedir(), '.cache', 'rusty-bench', 'target')

/** Environment for the processes the benchmarks start: the shared target dir, no colours. */
export function benchEnv(extra = {}) {
  return { CARGO_TARGET_DIR: targetDir, NO_COLOR: '1', ...extra }
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Runs `file args` to completion (stdin closed, output captured) and returns
 * its wall time in ms with the execa result. Throws when the command fails:
 * a benchmark of a failing command means nothing.
 */
export async function timeCommand(file, args, options = {}) {
  const start = performance.now()
  const result = await execa(file, args, { stdin: 'ignore', env: benchEnv(), ...options })
  return { ms: performance.now() - start, result }
}

/**
 * Runs every variant `rounds` times, interleaved: one run of each per round,
 * with the order rotated every round so no variant always goes first. Machine
 * noise then hits all variants alike. `variant.run()` returns one sample
 * (a number, or any value); returns `{ [variant.name]: samples[] }`.
 */
export async function interleave(variants, rounds) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length]
      samples[variant.name].push(await variant.run())
    }
  }
  return samples
}

/** Prints a header line for one benchmark. */
export function title(text) {
  console.log(`\n## ${text}\n`)
}

/**
 * Prints one row per variant: median, min and max of its samples (numbers in
 * `unit`), and the run count.
 */
export function printSamples(samples, unit = 'ms', digits = 1) {
  const width = Math.max(...Object.keys(samples).map((name) => name.length))
  for (const [name, values] of Object.entries(samples)) {
    const f = (v) => v.toFixed(digits).padStart(8)
    console.log(`  ${name.padEnd(width)}  median ${f(median(values))} ${unit}   min ${f(Math.min(...values))}   max ${f(Math.max(...values))}   n=${values.length}`)
  }
}

/** Prints `label: a / b = ratio x` from two medians (both measured in the same interleaved run). */
export function printRatio(label, a, b, target) {
  const ratio = median(a) / median(b)
  const verdict = target === undefined ? '' : ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: MISSED)`
  console.log(`  ratio ${label}: ${ratio.toFixed(2)}x${verdict}`)
}

/** A fresh folder under os.tmpdir(); remove it with fs.rmSync(dir, { recursive: true }). */
export function tempDir(prefix = 'rusty-bench-') {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
}

/**
 * Creates a project with `rusty new` in a temporary folder, runs `rusty
 * develop` (with `developArgs`; null: not at all) in it once, calls `fn(root)`, and removes the
 * folder afterwards, also when `fn` throws. The crate name is fixed so
 * cargo's cache in {@link targetDir} stays warm from run to run.
 */
export async function withProject(backend, developArgs, fn) {
  const dir = tempDir()
  const name = `rusty-bench-${backend.name}`
  const root = path.join(dir, name)
  try {
    await execa(process.execPath, [cliPath, 'new', name, '--backend', backend.name, '--yes', '--no-git', '--no-ci', '--no-install'], { cwd: dir, stdin: 'ignore', env: benchEnv() })
    // The benchmarks run rusty from this repository, so the package's own
    // devDependency on rusty-cli is dropped before installing the rest (the
    // build tools rusty loads from the project, koffi, ...).
    const pkgFile = path.join(root, 'package.json')
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'))
    delete pkg.devDependencies?.['rusty-cli']
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdin: 'ignore' })
    await backend.setup?.(root)
    if (developArgs !== null) await rusty(root, ['develop', ...developArgs], backend.env)
    return await fn(root)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs `rusty <args>` in `cwd` (output captured, failure throws) and returns the execa result. */
export function rusty(cwd, args, env = {}) {
  return execa(process.execPath, [cliPath, ...args], { cwd, stdin: 'ignore', env: benchEnv(env), all: true })
}

/** One line describing the machine: CPU, cores (what `nproc` reports), OS, node, cargo. */
export async function machine() {
  const cargo = await execa('cargo', ['--version']).then((r) => r.stdout.trim(), () => 'cargo: not found')
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  return `${cpu}, nproc ${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, node ${process.version}, ${cargo}`
}
