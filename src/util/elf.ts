import fs from 'node:fs/promises'
import { RustyError } from '../errors.js'
// The reader is a runtime file (packages' loaders use it to say why a
// library does not load); esbuild bundles it into the CLI.
import { ElfError, readElf, type ElfFacts } from '../../templates/runtime/elf.js'

export { ElfError, readElf, archOfMachine, compareVersions, type ElfFacts, type ElfSection } from '../../templates/runtime/elf.js'

/**
 * Reads the ELF facts (class, machine, sections, needed libraries, symbol
 * version needs) of the file at `file`.
 *
 * @throws RustyError naming the file when it cannot be read, is not an ELF
 *   file or is truncated (the ElfError is its cause)
 */
export async function readElfFile(file: string): Promise<ElfFacts> {
  let bytes: Buffer
  try {
    bytes = await fs.readFile(file)
  } catch (error) {
    throw new RustyError(`Cannot read ${file}: ${(error as Error).message}`, { cause: error })
  }
  try {
    return readElf(bytes)
  } catch (error) {
    if (!(error instanceof ElfError)) throw error
    throw new RustyError(`${file} is not a readable shared library: ${error.message}.`, { cause: error })
  }
}
