// Each staged package is packed once: the tarball whose files are checked
// (src/publish/guards.ts) is the one the load check installs
// (src/publish/verify.ts) and the one `npm publish` uploads (src/publish/npm.ts).
import fs from 'node:fs/promises'
import path from 'node:path'
import { execa } from 'execa'
import { RustyError } from '../errors.js'
import { npmReason } from './npm.js'
import type { StagedPackage } from './packages.js'

/** A staged package and its tarball. */
export type PackedPackage = StagedPackage & {
  /** Absolute path of the `.tgz` `npm pack` made. */
  tarball: string
  /** The files in it, relative `/`-separated paths (npm pack's `--json` report, `files[].path`). */
  files: string[]
}

/**
 * Packs each of `staged` with `npm pack <dir> --json --ignore-scripts`
 * (the package's scripts ran in its root, src/publish/scripts.ts) into
 * `dest`, emptied first.
 *
 * @returns the packages in the order given, each with its tarball and files
 * @throws RustyError naming the package and npm's reason when npm cannot pack it; nothing was published
 */
export async function packStaged(staged: StagedPackage[], dest: string): Promise<PackedPackage[]> {
  await fs.rm(dest, { recursive: true, force: true })
  await fs.mkdir(dest, { recursive: true })
  const packed: PackedPackage[] = []
  for (const pkg of staged) {
    const result = await execa('npm', ['pack', pkg.dir, '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: dest, stdin: 'ignore', reject: false })
    if (result.failed) {
      throw new RustyError(`Refusing to publish ${pkg.name}@${pkg.version}: \`npm pack\` failed (${npmReason(result.stderr)}). Nothing was published.`)
    }
    const [report] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[]
    if (!report) throw new RustyError(`Refusing to publish ${pkg.name}@${pkg.version}: \`npm pack\` reported no tarball. Nothing was published.`)
    packed.push({ ...pkg, tarball: path.join(dest, report.filename), files: report.files.map((file) => file.path) })
  }
  return packed
}
