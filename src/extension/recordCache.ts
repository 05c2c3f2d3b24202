/** The record cache as the editor uses it: where it is and how big it may grow (a setting), and the command that empties it. */
import { defaultRecordCacheDirectory } from '../core/scan/cache-location';
import type { RecordCacheSettings } from '../core/sql/loader';
import { RecordCache } from '../core/sql/record-cache';
import { formatBytes } from '../shared/text/quantities';
import { COMMANDS } from './commands/ids';
import { registerCommands } from './commands/register';
import type { ExtensionServices } from './services';
import type { AuditLensSettings } from './settings';
import { safeWindow } from './untrustedText';

const MIB = 1024 ** 2;

/** The cache the settings allow, shared with the CLI; undefined when `auditLens.recordCacheSize` is 0. */
export function recordCacheSettings(settings: Pick<AuditLensSettings, 'recordCacheSize'>): RecordCacheSettings | undefined {
  return settings.recordCacheSize === 0 ? undefined : { directory: defaultRecordCacheDirectory(), maxBytes: settings.recordCacheSize * MIB };
}

export function registerRecordCacheCommands(services: ExtensionServices) {
  return registerCommands({
    [COMMANDS.clearRecordCache]: async () => {
      try {
        const freed = await new RecordCache(defaultRecordCacheDirectory()).clear();
        services.log.info(`record cache cleared: ${freed} bytes`);
        void safeWindow.showInformationMessage(`Audit Lens: cleared the record cache (${formatBytes(freed)}). The next load reads every file again.`);
      } catch (error) {
        services.reportError(error, 'Could not clear the record cache');
      }
    },
  });
}
