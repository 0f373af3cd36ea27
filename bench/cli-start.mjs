// CLI start-up: `rusty --version` and `rusty --help` against `node -e 0` (the
// floor any Node CLI pays) and, for scale, napi-rs's own `napi --version`.
import { cliPath, interleave, napiCliPath, printRatio, printSamples, timeCommand, title } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 30)
const node = process.execPath
const commands = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'rusty --version', args: [cliPath, '--version'] },
  { name: 'rusty --help', args: [cliPath, '--help'] },
  { name: 'napi --version', args: [napiCliPath, '--version'] },
]

title(`CLI start-up (wall time, ${rounds} interleaved rounds)`)
for (const c of commands) await timeCommand(node, c.args) // warm the file cache
const times = await interleave(
  commands.map((c) => ({ name: c.name, run: async () => (await timeCommand(node, c.args)).ms })),
  rounds,
)
printSamples(times)
printRatio('rusty --version / node -e 0', times['rusty --version'], times['node -e 0'], 1.2)
printRatio('rusty --help / node -e 0', times['rusty --help'], times['node -e 0'], 1.2)
printRatio('napi --version / node -e 0', times['napi --version'], times['node -e 0'])
