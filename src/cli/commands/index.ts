/** Every command of the CLI, in the order the help lists them. */
import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { catalogCommand } from './catalog';
import { detectCommand } from './detect';
import { lsCommand } from './ls';
import { queryCommand } from './query';
import { validateCommand } from './validate';

export const commands: readonly CliCommand[] = [queryCommand, analyzeCommand, detectCommand, lsCommand, validateCommand, catalogCommand];
