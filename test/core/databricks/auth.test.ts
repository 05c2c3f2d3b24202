import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { normalizeHost, resolveDatabricksAuth } from '../../../src/core/databricks';
import { AuditLensError } from '../../../src/core/errors';

const dir = mkdtempSync(path.join(tmpdir(), 'audit-lens-dbcfg-'));
const config = path.join(dir, 'databrickscfg');
writeFileSync(config, ['[DEFAULT]', 'host = https://default.gcp.databricks.com', 'token = dapi-default', '', '; a comment', '[staging]', 'host=adb-42.gcp.databricks.com/', 'token = dapi-staging', '[no-token]', 'host = https://x.gcp.databricks.com'].join('\n'));

describe('Databricks auth', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes DATABRICKS_HOST and DATABRICKS_TOKEN first', async () => {
    const auth = await resolveDatabricksAuth({ env: { DATABRICKS_HOST: 'https://env.gcp.databricks.com/', DATABRICKS_TOKEN: 'dapi-env', DATABRICKS_CONFIG_FILE: config } });
    assert.deepEqual(auth, { host: 'https://env.gcp.databricks.com', token: 'dapi-env', origin: 'DATABRICKS_TOKEN' });
  });

  it('reads a named profile, from --profile or DATABRICKS_CONFIG_PROFILE', async () => {
    const byFlag = await resolveDatabricksAuth({ profile: 'staging', env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_TOKEN: 'dapi-env' } });
    assert.deepEqual(byFlag, { host: 'https://adb-42.gcp.databricks.com', token: 'dapi-staging', origin: 'profile [staging]' });
    const byEnv = await resolveDatabricksAuth({ env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_CONFIG_PROFILE: 'staging' } });
    assert.equal(byEnv.token, 'dapi-staging');
    const hostOverride = await resolveDatabricksAuth({ host: 'http://127.0.0.1:9', profile: 'staging', env: { DATABRICKS_CONFIG_FILE: config } });
    assert.equal(hostOverride.host, 'http://127.0.0.1:9');
  });

  it('falls back to the DEFAULT profile, and prefers the editor token when given', async () => {
    assert.equal((await resolveDatabricksAuth({ env: { DATABRICKS_CONFIG_FILE: config } })).token, 'dapi-default');
    const editor = await resolveDatabricksAuth({ host: 'https://h.gcp.databricks.com', token: 'dapi-secret', env: { DATABRICKS_CONFIG_FILE: config } });
    assert.equal(editor.origin, 'the editor');
  });

  it('says what is missing', async () => {
    const fail = async (request: Parameters<typeof resolveDatabricksAuth>[0]): Promise<string> => {
      try {
        await resolveDatabricksAuth(request);
      } catch (error) {
        return AuditLensError.from(error).userMessage;
      }
      return 'no error';
    };
    assert.match(await fail({ profile: 'prod', env: { DATABRICKS_CONFIG_FILE: config } }), /no profile \[prod\]/);
    assert.match(await fail({ profile: 'no-token', env: { DATABRICKS_CONFIG_FILE: config } }), /No Databricks token/);
    assert.match(await fail({ env: { DATABRICKS_CONFIG_FILE: path.join(dir, 'absent') } }), /No Databricks workspace is configured/);
    assert.throws(() => normalizeHost('ftp://x'), /https:\/\//);
  });
});
