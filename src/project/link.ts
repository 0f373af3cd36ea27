import fs from 'node:fs/promises'
import path from 'node:path'
import { RustyError } from '../errors.js'
import type { Project } from './config.js'
import { projectPackageManager } from '../util/package-manager.js'

/**
 * Links the project into another app's `node_modules/<name>` as a symlink to
 * the package root, as `npm link` does, so `import '<name>'` in that app loads
 * this build. Repeating it is harmless: an existing link is replaced by
 * rename; an installed (non-link) copy of the package is refused rather than
 * deleted.
 *
 * @param appDir the app's folder (must exist; `node_modules` is created)
 * @returns the path of the link
 * @throws RustyError when `appDir` is not a folder or holds a real install of the package
 */
export async function linkInto(project: Project, appDir: string): Promise<string> {
  const app = path.resolve(appDir)
  const stat = await fs.stat(app).catch(() => undefined)
  if (!stat?.isDirectory()) {
    throw new RustyError(`Cannot link into ${app}: it is not a folder.`, { exitCode: 2 })
  }
  if (path.resolve(app) === project.root) {
    throw new RustyError('Cannot link a package into itself; give --into the folder of the app that uses it.', { exitCode: 2 })
  }
  const link = path.join(app, 'node_modules', ...project.packageJson.name.split('/'))
  const existing = await fs.lstat(link).catch(() => undefined)
  if (existing && !existing.isSymbolicLink()) {
    throw new RustyError(`${link} is an installed copy of ${project.packageJson.name}, not a link; rusty will not delete it.`, {
      // The app's own package manager: npm's uninstall would rewrite a yarn or pnpm app's lockfile.
      hint: `Remove it (e.g. \`${projectPackageManager(app).format('uninstall', [project.packageJson.name])}\` in ${app}), then run this again.`,
    })
  }
  await fs.mkdir(path.dirname(link), { recursive: true })
  // A relative target keeps the link valid when both folders move together.
  const target = path.relative(path.dirname(link), project.root)
  if (existing && (await fs.readlink(link)) === target) return link
  const temp = `${link}.${process.pid}.rusty-link`
  await fs.rm(temp, { force: true })
  await fs.symlink(target, temp, process.platform === 'win32' ? 'junction' : 'dir')
  await fs.rename(temp, link)
  return link
}
