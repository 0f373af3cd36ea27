// npm's `version` lifecycle script (see package.json): create-rusty is
// released with the same version as rusty-cli and depends on exactly it.
import fs from 'node:fs'

const root = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const file = new URL('../create-rusty/package.json', import.meta.url)
const create = JSON.parse(fs.readFileSync(file, 'utf8'))
create.version = root.version
create.dependencies['rusty-cli'] = root.version
fs.writeFileSync(file, `${JSON.stringify(create, null, 2)}\n`)
