#!/usr/bin/env node
import module from 'node:module'

// Node >= 22.1 keeps V8's compiled code of rusty's bundle on disk, so later
// starts skip most of the parsing (Node's "Module compile cache"); older Nodes
// have no such API and start as before.
module.enableCompileCache?.()
const { run } = await import('../dist/main.js')
await run(process.argv)
