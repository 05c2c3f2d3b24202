/**
 * The editor's side of Databricks auth: a personal access token in VS Code's SecretStorage (one per
 * workspace host, never in settings or logs), the commands that set and clear it, and the
 * connection a notebook on the Databricks engine uses.
 */
import * as vscode from 'vscode';
import { version } from '../../package.json';
import { normalizeHost, resolveDatabricksAuth, WarehouseClient } from '../core/databricks';
import { AuditLensError } from '../core/errors';
import { COMMANDS } from './commands/ids';
import { registerCommands } from './commands/register';
import type { ExtensionServices } from './services';
import { readDatabricksSettings, type DatabricksSettings } from './settings';
import { safeWindow } from './untrustedText';

const TOKEN_KEY = 'auditLens.databricks.token';

function tokenKey(host: string): string {
  return `${TOKEN_KEY}:${normalizeHost(host)}`;
}

/** The token kept for a host, if any. */
export async function storedToken(secrets: vscode.SecretStorage, host: string | undefined): Promise<string | undefined> {
  if (!host) return undefined;
  return (await secrets.get(tokenKey(host))) || undefined;
}

/** True when a notebook could run on a warehouse: a warehouse id and some way to find the host. */
export function warehouseConfigured(settings: DatabricksSettings = readDatabricksSettings(), env: NodeJS.ProcessEnv = process.env): boolean {
  return settings.warehouseId !== undefined && Boolean(settings.host || settings.profile || env.DATABRICKS_HOST || env.DATABRICKS_CONFIG_PROFILE);
}

/** A client for the configured warehouse, with the editor's token first, then the environment and profiles. */
export async function warehouseClient(secrets: vscode.SecretStorage, settings: DatabricksSettings = readDatabricksSettings()): Promise<WarehouseClient> {
  if (!settings.warehouseId) {
    throw new AuditLensError('usage', 'No SQL warehouse is configured: set auditLens.databricks.warehouseId (the id in the warehouse\'s Connection details).');
  }
  const token = await storedToken(secrets, settings.host ?? process.env.DATABRICKS_HOST);
  const auth = await resolveDatabricksAuth({ host: settings.host, profile: settings.profile, token });
  return new WarehouseClient({ auth, warehouseId: settings.warehouseId, userAgent: `audit-lens-vscode/${version}` });
}

export function registerDatabricksCommands(context: vscode.ExtensionContext, services: ExtensionServices): void {
  const hostOrAsk = async (): Promise<string | undefined> => {
    const configured = readDatabricksSettings().host ?? process.env.DATABRICKS_HOST;
    if (configured) return configured;
    return services.prompts.showInputBox({
      title: 'Databricks workspace URL',
      prompt: 'The workspace the token belongs to (also set auditLens.databricks.host)',
      placeHolder: 'https://1234567890123456.7.gcp.databricks.com',
      validateInput: (v) => {
        try {
          normalizeHost(v);
          return undefined;
        } catch (error) {
          return AuditLensError.from(error).userMessage;
        }
      },
    });
  };
  context.subscriptions.push(
    ...registerCommands({
      [COMMANDS.databricksSetToken]: async () => {
        try {
          const host = await hostOrAsk();
          if (!host) return;
          const token = await services.prompts.showInputBox({
            title: `Databricks personal access token for ${normalizeHost(host)}`,
            prompt: 'Kept in the editor\u2019s secret storage, never in settings or logs. Create one under User Settings → Developer → Access tokens.',
            password: true,
            ignoreFocusOut: true,
            validateInput: (v) => (v.trim() === '' ? 'The token is empty.' : undefined),
          });
          if (!token) return;
          await context.secrets.store(tokenKey(host), token.trim());
          services.log.info(`databricks: stored a token for ${normalizeHost(host)}`);
          safeWindow.setStatusBarMessage('Audit Lens: Databricks token saved', 3000);
        } catch (error) {
          services.reportError(error, 'Set Databricks token');
        }
      },
      [COMMANDS.databricksClearToken]: async () => {
        const host = readDatabricksSettings().host ?? process.env.DATABRICKS_HOST;
        if (!host) return;
        await context.secrets.delete(tokenKey(host));
        safeWindow.setStatusBarMessage('Audit Lens: Databricks token cleared', 3000);
      },
    }),
  );
}
