// `rusty develop` with nothing changed, side by side with what it wraps
// (cargo's own no-op build of the same crate and, for napi, `napi build` run
// directly), then, where a backend can trace it, where the time goes.
import { execa } from 'execa'
import { backends } from './backends.mjs'
import fs from 'node:fs'
import { benchEnv, cliPath, interleave, median, printRatio, printSamples, targetDir, timeCommand, title, withProject } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 15)

for (const backend of backends) {
  title(`rusty develop, nothing changed (${backend.name}; wall time, ${rounds} interleaved rounds)`)
  await withProject(backend, [], async (root) => {
    const { commands, cleanup } = await backend.developBaselines(root)
    try {
      commands.unshift({ name: 'rusty develop', file: process.execPath, args: [cliPath, 'develop'], env: backend.env ?? {} })
      // BENCH_BASELINE_CLI=<another checkout>/bin/rusty.js: that rusty too, in the same rounds (an A/B
      // that holds on a loaded machine, where the floor alone moves too much to compare runs).
      // It runs in a copy of the project with a target dir of its own, so neither rusty's stamps nor
      // cargo's fingerprints of one make the other rebuild.
      const baseline = process.env.BENCH_BASELINE_CLI
      if (baseline) {
        const copy = `${root}-baseline`
        fs.cpSync(root, copy, { recursive: true, verbatimSymlinks: true })
        const env = { ...backend.env, CARGO_TARGET_DIR: `${targetDir}-baseline` }
        commands.push({ name: 'rusty develop (baseline)', file: process.execPath, args: [baseline, 'develop'], env, cwd: copy })
      }
      // What any Node.js CLI pays before doing anything: with cargo's no-op,
      // the floor of a develop written in Node.
      commands.push({ name: 'node -e 0', file: process.execPath, args: ['-e', '0'], env: {} })
      let rebuilds = 0
      const rebuilt = new Set()
      const variants = commands.map((c) => ({
        name: c.name,
        run: async () => {
          const { ms, result } = await timeCommand(c.file, c.args, { cwd: c.cwd ?? root, env: { ...benchEnv(), ...c.env }, all: true })
          if (/^\s*Compiling /m.test(result.all)) {
            rebuilds++
            rebuilt.add(c.name)
          }
          return ms
        },
      }))
      for (const v of variants) await v.run() // warm-up: every variant once
      rebuilds = 0
      const times = await interleave(variants, rounds)
      printSamples(times)
      for (const c of commands.slice(1, -1)) printRatio(`rusty develop / ${c.name}`, times['rusty develop'], times[c.name])
      const floor = median(times['node -e 0']) + median(times['cargo build (no-op)'])
      const ratio = median(times['rusty develop']) / floor
      console.log(`  floor of a Node.js CLI (node -e 0 + cargo no-op): ${floor.toFixed(1)} ms = ${(floor / median(times['cargo build (no-op)'])).toFixed(2)}x cargo; rusty develop is ${ratio.toFixed(2)}x that floor (target <= 1.5x: ${ratio <= 1.5 ? 'met' : 'MISSED'})`)
      console.log(rebuilds === 0 ? '  every timed run was a cargo no-op' : `  WARNING: ${rebuilds} timed runs recompiled something (${[...rebuilt].join(', ')})`)
      await printPhases(root, backend.env ?? {})
    } finally {
      cleanup()
    }
  })
}

/**
 * Where a no-op develop's time goes: runs `rusty develop` a few times, stamps
 * each stderr line as it arrives, and prints the median time of each phase,
 * cut at the line rusty prints just before it starts cargo and at cargo's
 * "Finished" line.
 */
async function printPhases(root, env) {
  const trace = {
    env,
    marks: [
      ['node start, loading rusty, build lock, stamp checks', /with cargo/],
      ['cargo build (no-op)', /^\s*Finished /],
    ],
    tail: 'rusty after cargo: stamps of native/, TypeScript stamp, lock release, exit',
  }
  const phases = []
  for (let i = 0; i < 5; i++) {
    const lines = []
    const start = performance.now()
    const child = execa(process.execPath, [cliPath, 'develop'], { cwd: root, stdin: 'ignore', env: benchEnv(trace.env) })
    let partial = ''
    child.stderr.on('data', (chunk) => {
      const now = performance.now()
      const parts = (partial + String(chunk)).split('\n')
      partial = parts.pop()
      for (const text of parts) lines.push({ text, now })
    })
    await child
    const end = performance.now()
    const stamps = trace.marks.map(([label, re]) => {
      const line = lines.find((l) => re.test(l.text))
      if (!line) throw new Error(`no stderr line matched ${re} (${label})`)
      return line.now
    })
    const cuts = [start, ...stamps, end]
    phases.push(cuts.slice(1).map((t, k) => t - cuts[k]))
  }
  console.log(`\n  one no-op rusty develop, phase by phase (median of ${phases.length} runs, with tracing on):`)
  const labels = [...trace.marks.map(([label]) => label), trace.tail]
  const row = (ms, label) => console.log(`    ${ms.toFixed(0).padStart(5)} ms  ${label}`)
  labels.forEach((label, k) => row(median(phases.map((p) => p[k])), label))
  row(median(phases.map((p) => p.reduce((a, b) => a + b))), 'total')
}
