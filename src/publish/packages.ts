import fs from 'node:fs/promises'
import path from 'node:path'
import { execa } from 'execa'
import { RustyError } from '../errors.js'
import type { Project } from '../project/config.js'
import { isPlatformBinary, type Artifact } from './artifacts.js'

/** One npm package ready to publish from `dir`. */
export interface StagedPackage {
  name: string
  version: string
  /** Folder holding its package.json and files. */
  dir: string
  /** `main` for the main package, else the platform id. */
  role: string
}

/**
 * The npm fields of a platform package for `platform` (napi-rs ids):
 * `os`, `cpu` and, on Linux, `libc` (npm package.json docs: os, cpu, libc),
 * so npm installs only the one that fits the machine.
 */
export function platformFields(platform: string): { os: string[]; cpu: string[]; libc?: string[] } {
  const [os, cpu, abi] = platform.split('-')
  if (!os || !cpu) throw new RustyError(`Cannot tell the OS and CPU of the platform "${platform}".`)
  const fields: { os: string[]; cpu: string[]; libc?: string[] } = { os: [os], cpu: [cpu] }
  if (os === 'linux') fields.libc = [abi?.startsWith('musl') ? 'musl' : 'glibc']
  return fields
}

/**
 * Assembles what `rusty publish` uploads, under `<project>/.rusty/publish/`:
 * one platform package `<name>-<platform>` per artifact holding only that
 * binary, and the main package (the files `npm pack` would include, without
 * binaries when they go in platform packages) whose `optionalDependencies`
 * list every platform package at the same version.
 *
 * @param artifacts the platform artifacts to ship (none for a backend without platform packages)
 * @returns the platform packages first, the main package last
 */
export async function stagePackages(project: Project, artifacts: Artifact[]): Promise<StagedPackage[]> {
  const root = path.join(project.stateDir, 'publish')
  await fs.rm(root, { recursive: true, force: true })
  await fs.mkdir(root, { recursive: true })
  const { name } = project.packageJson
  const version = String(project.packageJson.version)
  const staged: StagedPackage[] = []

  for (const artifact of artifacts) {
    const dir = path.join(root, `platform-${artifact.platform}`)
    const file = path.basename(artifact.file)
    await fs.mkdir(dir, { recursive: true })
    await fs.copyFile(artifact.file, path.join(dir, file))
    const pkg = {
      name: `${name}-${artifact.platform}`,
      version,
      description: `The compiled library of ${name} for ${artifact.platform}.`,
      ...platformFields(artifact.platform),
      main: file,
      files: [file],
      ...pick(project.packageJson, ['license', 'repository', 'author', 'homepage']),
    }
    await fs.writeFile(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
    staged.push({ name: pkg.name, version, dir, role: artifact.platform })
  }

  const mainDir = path.join(root, 'main')
  const files = await packedFiles(project.root)
  for (const file of files) {
    // Binaries never ship in a main package that has platform packages: each lives in its own.
    if (artifacts.length > 0 && isPlatformBinary(file)) continue
    const dest = path.join(mainDir, file)
    await fs.mkdir(path.dirname(dest), { recursive: true })
    await fs.copyFile(path.join(project.root, file), dest)
  }
  const mainPkg: Record<string, unknown> = { ...project.packageJson }
  if (artifacts.length > 0) {
    mainPkg.optionalDependencies = {
      ...(mainPkg.optionalDependencies as Record<string, string> | undefined),
      ...Object.fromEntries(artifacts.map((a) => [`${name}-${a.platform}`, version])),
    }
  }
  await fs.writeFile(path.join(mainDir, 'package.json'), `${JSON.stringify(mainPkg, null, 2)}\n`)
  staged.push({ name, version, dir: mainDir, role: 'main' })
  return staged
}

/** The files `npm pack` would put in the package (package.json "files", .npmignore), relative paths. */
async function packedFiles(root: string): Promise<string[]> {
  const result = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, reject: false })
  if (result.failed) throw new RustyError(`\`npm pack --dry-run\` failed in ${root}: ${result.stderr.split('\n').find((l) => l.includes('error')) ?? result.shortMessage}`)
  const [report] = JSON.parse(result.stdout) as { files: { path: string }[] }[]
  return (report?.files ?? []).map((f) => f.path)
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]))
}
