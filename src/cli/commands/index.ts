/** Every command of the CLI, in the order the help lists them. */
import type { CliCommand } from '../command';
import { catalogCommand } from './catalog';
import { lsCommand } from './ls';
import { validateCommand } from './validate';

export const commands: readonly CliCommand[] = [lsCommand, validateCommand, catalogCommand];
