/**
 * rusty's programmatic API: every CLI command is a plain async function taking
 * an options object (with `cwd`), e.g.
 * `await develop({ cwd: '/path/to/project', release: true })`.
 */
export { newProject, type NewOptions, type NewResult } from './commands/new.js'
export { init, type InitOptions, type InitResult } from './commands/init.js'
export { develop, type DevelopOptions, type DevelopResult } from './commands/develop.js'
export { build, type BuildCommandOptions, type BuildCommandResult } from './commands/build.js'
export { listArtifacts, type Artifact } from './publish/artifacts.js'
export { version, setCargoVersion, type VersionOptions } from './commands/version.js'
export { publish, type PublishOptions, type PublishedPackage } from './commands/publish.js'
export { ciGithub, type CiGithubOptions } from './commands/ci-github.js'
export { githubWorkflow } from './workflows/github.js'
export { doctor, type DoctorOptions, type DoctorCheck } from './commands/doctor.js'
export { RustyError, CancelledError, isRustyError } from './errors.js'
export { validateProjectName, type ProjectNames } from './project/names.js'
export { findProject, type Project, type RustyConfig } from './project/config.js'
export { loadBackend, type Backend, type BuildOptions, type BuildResult } from './backends/index.js'
export { BACKENDS, type BackendInfo, type BackendName } from './project/backend-table.js'
export type { TemplateContext } from './project/template-context.js'
export { versions } from './versions.js'
