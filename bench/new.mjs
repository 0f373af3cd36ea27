// `rusty new <dir> --yes --no-git`: wall time to write a project, per backend.
import fs from 'node:fs'
import { backends } from './backends.mjs'
import { cliPath, interleave, printSamples, tempDir, timeCommand, title } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 20)

title(`rusty new --yes --no-git (wall time, ${rounds} interleaved rounds)`)
const parent = tempDir()
let n = 0
try {
  const variants = backends.map((backend) => ({
    name: `rusty new (${backend.name})`,
    run: async () => {
      const args = [cliPath, 'new', `p${n++}`, '--backend', backend.name, '--yes', '--no-git', '--no-install']
      return (await timeCommand(process.execPath, args, { cwd: parent })).ms
    },
  }))
  for (const v of variants) await v.run() // warm-up
  const times = await interleave(variants, rounds)
  printSamples(times)
  console.log('  target: < 500 ms')
} finally {
  fs.rmSync(parent, { recursive: true, force: true })
}
