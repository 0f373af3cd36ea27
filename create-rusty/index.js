#!/usr/bin/env node
// `npm create rusty@latest [dir] -- [flags]` runs this bin with `[dir] [flags]`:
// it is `rusty new` of the rusty-cli released with it (same version), so the
// flags, prompts and printed steps are the same.
import { main } from 'rusty-cli/cli'

await main([process.argv[0], 'rusty', 'new', ...process.argv.slice(2)])
