/** Every command of the CLI, in the order the help lists them. */
import type { CliCommand } from '../command';
import { lsCommand } from './ls';

export const commands: readonly CliCommand[] = [lsCommand];
