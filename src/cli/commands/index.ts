/** Every command of the CLI, in the order the help lists them. */
import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { buildIndexCommand } from './buildIndex';
import { catalogCommand } from './catalog';
import { coverageCommand } from './coverage';
import { detectCommand } from './detect';
import { lsCommand } from './ls';
import { queryCommand } from './query';
import { timelineCommand } from './timeline';
import { validateCommand } from './validate';
import { watchCommand } from './watch';

export const commands: readonly CliCommand[] = [queryCommand, analyzeCommand, detectCommand, timelineCommand, coverageCommand, watchCommand, lsCommand, buildIndexCommand, validateCommand, catalogCommand];
