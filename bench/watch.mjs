// `rusty develop --watch`: from a saved change to the package importable with
// the new code, against cargo's own incremental build of the same change.
//
// Each round edits what `add` returns (a new constant every time) twice: in
// the watched project, timing from the save to the watcher's "Built" line
// (printed once native/ and dist/ are in place; an import in a child process
// then checks the new value, untimed), and in a copy of the crate under
// another package name, timing `cargo build` with the arguments and
// environment rusty gives cargo. The two are interleaved, order rotated.
//
// The watcher's own stderr also splits rusty's share out of each of its
// builds: save -> the line rusty prints just before it starts cargo, and
// cargo's "Finished" line -> "Built". Their sum is what rusty adds to cargo.
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { backends } from './backends.mjs'
import { benchEnv, cliPath, median, printSamples, tempDir, title, withProject } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 7)
const ADD = /(fn add\(a: i32, b: i32\) -> i32 \{\n)[^\n]*\n/

/** Sets the body of `add` in `file` to return a + b + k. */
function editAdd(file, k) {
  const source = fs.readFileSync(file, 'utf8')
  if (!ADD.test(source)) throw new Error(`no fn add(a: i32, b: i32) -> i32 in ${file}`)
  fs.writeFileSync(file, source.replace(ADD, `$1  a.wrapping_add(b).wrapping_add(${k})\n`))
}

/** The cargo command rusty runs for this backend: napi from its stamp (napi-rs's own command), the others as cdylib.ts builds. */
async function cargoCommand(backend, root) {
  if (backend.name === 'napi') {
    const stamp = JSON.parse(fs.readFileSync(path.join(root, '.rusty', 'napi-stamp.json'), 'utf8'))
    return { args: stamp.cargo.args.filter((a, i, all) => a !== '--manifest-path' && all[i - 1] !== '--manifest-path'), env: {} }
  }
  const target = backend.name === 'wasm' ? ['--target', 'wasm32-unknown-unknown'] : []
  return { args: ['build', ...target], env: backend.env ?? {} }
}

for (const backend of backends) {
  title(`develop --watch: save -> importable, against cargo build of the same edit (${backend.name}; ${rounds} interleaved rounds)`)
  await withProject(backend, [], async (root) => {
    // The baseline crate: the same sources under another package name, so
    // its artifacts sit next to the project's in the shared target dir.
    const copy = tempDir('rusty-bench-watch-')
    const crate = path.join(copy, 'rust')
    fs.cpSync(path.join(root, 'rust'), crate, { recursive: true, filter: (src) => !src.includes(`${path.sep}target`) })
    const manifest = path.join(crate, 'Cargo.toml')
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(/^name = "([^"]+)"/m, 'name = "$1-baseline"'))
    const cargo = await cargoCommand(backend, root)
    // napi-derive writes type definitions where NAPI_TYPE_DEF_TMP_FOLDER says; a fixed folder keeps the build script fresh.
    const env = benchEnv({ ...cargo.env, ...(backend.name === 'napi' ? { NAPI_TYPE_DEF_TMP_FOLDER: path.join(copy, 'type-defs') } : {}) })
    const cargoBuild = () => execa('cargo', [...cargo.args, '--manifest-path', manifest], { cwd: copy, env, stdin: 'ignore', all: true })
    await cargoBuild()

    const watcher = execa(process.execPath, [cliPath, 'develop', '--watch'], { cwd: root, env: benchEnv(backend.env), stdin: 'ignore', reject: false })
    const lines = []
    let buffered = ''
    watcher.stderr.on('data', (chunk) => {
      const now = performance.now()
      buffered += String(chunk)
      const parts = buffered.split('\n')
      buffered = parts.pop()
      for (const text of parts) lines.push({ text, now })
    })
    const waitFor = async (re, from) => {
      for (;;) {
        const line = lines.slice(from).find((l) => re.test(l.text))
        if (line) return line
        if (watcher.exitCode !== null) throw new Error(`the watcher exited:\n${lines.map((l) => l.text).join('\n')}`)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    }
    try {
      await waitFor(/Watching for changes/, 0)
      const samples = { 'rusty develop --watch (save -> importable)': [], 'cargo build (same edit)': [] }
      const split = { 'save -> cargo starts': [], 'cargo finished -> importable': [], 'rusty total': [] }
      let k = 1
      const variants = [
        async () => {
          const from = lines.length
          const value = ++k
          const start = performance.now()
          editAdd(path.join(root, 'rust', 'src', 'lib.rs'), value)
          const built = await waitFor(/^◆ Built /, from)
          const handOff = lines.slice(from).find((l) => /with cargo/.test(l.text))
          const finished = lines.slice(from).find((l) => /^\s*Finished /.test(l.text))
          samples['rusty develop --watch (save -> importable)'].push(built.now - start)
          if (handOff && finished) {
            split['save -> cargo starts'].push(handOff.now - start)
            split['cargo finished -> importable'].push(built.now - finished.now)
            split['rusty total'].push(handOff.now - start + built.now - finished.now)
          }
          await waitFor(/Watching for changes/, lines.indexOf(built))
          const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', `const m = await import('./dist/index.js'); console.log(m.add(1, 2))`], { cwd: root })
          if (Number(stdout) !== 3 + value) throw new Error(`after the watcher's build, add(1, 2) is ${stdout}, not ${3 + value}`)
        },
        async () => {
          const value = ++k
          const start = performance.now()
          editAdd(path.join(crate, 'src', 'lib.rs'), value)
          const result = await cargoBuild()
          if (!/Compiling/.test(result.all)) throw new Error(`cargo did not rebuild the baseline:\n${result.all}`)
          samples['cargo build (same edit)'].push(performance.now() - start)
        },
      ]
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < variants.length; i++) await variants[(i + round) % variants.length]()
      }
      printSamples(samples)
      const overhead = median(samples['rusty develop --watch (save -> importable)']) - median(samples['cargo build (same edit)'])
      console.log(`  rusty adds (difference of the medians): ${overhead.toFixed(0)} ms (target <= 100 ms)`)
      console.log('\n  rusty\'s share of each watched build, from its own stderr:')
      printSamples(split)
      console.log(`  rusty adds (median of save -> cargo starts + cargo finished -> importable): ${median(split['rusty total']).toFixed(0)} ms (target <= 100 ms: ${median(split['rusty total']) <= 100 ? 'met' : 'MISSED'})`)
    } finally {
      watcher.kill('SIGINT')
      await watcher
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })
}
