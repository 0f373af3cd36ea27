import { RustyError } from '../errors.js'
// The packages' own loader computes the host's id; esbuild bundles it into the CLI.
import { currentPlatformId } from '../../templates/runtime/platform.js'

/**
 * The napi-rs platform id (`linux-x64-gnu`, `linux-x64-musl`, `darwin-arm64`,
 * `win32-x64-msvc`, ...) of a target triple, or of the machine rusty runs on
 * when `target` is undefined. A host build costs nothing: the id comes from
 * `currentPlatformId` of `templates/runtime/platform.js`, the very code a
 * koffi package's loader runs to pick its library (`process.platform`,
 * `process.arch` and, on Linux, musl or else glibc by detect-libc).
 * Other triples are looked up in napi-rs's own table of target triples
 * (@napi-rs/triples, the data @napi-rs/cli names platform packages by), so
 * koffi and napi projects agree without loading @napi-rs/cli.
 *
 * @throws RustyError (exit 2) for a triple that table does not know
 */
export async function platformOf(target?: string): Promise<string> {
  if (target === undefined) return currentPlatformId()
  const { platformArchTriples } = await import('@napi-rs/triples')
  // The package's typings call the triple `raw`; its data (2.1) calls it `triple`.
  type Entry = { triple?: string; raw?: string; platformArchABI: string }
  for (const arches of Object.values(platformArchTriples)) {
    for (const entries of Object.values(arches) as Entry[][]) {
      const found = entries.find((entry) => (entry.triple ?? entry.raw) === target)
      if (found) return found.platformArchABI
    }
  }
  throw new RustyError(`Unknown target triple ${JSON.stringify(target)}.`, {
    exitCode: 2,
    hint: 'Use one that `rustup target list` prints, e.g. x86_64-unknown-linux-gnu or aarch64-apple-darwin.',
  })
}
