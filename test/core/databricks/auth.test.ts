import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertSecureHost, isLoopbackHost, normalizeHost, resolveDatabricksAuth } from '../../../src/core/databricks';
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
    const sameHost = await resolveDatabricksAuth({ host: 'HTTPS://adb-42.gcp.databricks.com:443/', profile: 'staging', env: { DATABRICKS_CONFIG_FILE: config } });
    assert.deepEqual(sameHost, { host: 'https://adb-42.gcp.databricks.com', token: 'dapi-staging', origin: 'profile [staging]' });
  });

  it('falls back to the DEFAULT profile, and prefers the editor token when given', async () => {
    assert.equal((await resolveDatabricksAuth({ env: { DATABRICKS_CONFIG_FILE: config } })).token, 'dapi-default');
    const editor = await resolveDatabricksAuth({ host: 'https://h.gcp.databricks.com', token: 'dapi-secret', env: { DATABRICKS_CONFIG_FILE: config } });
    assert.equal(editor.origin, 'the editor');
  });

  const fail = async (request: Parameters<typeof resolveDatabricksAuth>[0]): Promise<string> => {
    try {
      await resolveDatabricksAuth(request);
    } catch (error) {
      const e = AuditLensError.from(error);
      return `${e.code}: ${e.userMessage}`;
    }
    return 'no error';
  };

  it("sends a profile's token only to that profile's host", async () => {
    const other = 'https://evil.example.com';
    const fromDefault = await fail({ host: other, env: { DATABRICKS_CONFIG_FILE: config } });
    assert.match(fromDefault, /^no-credentials: No token for https:\/\/evil\.example\.com: profile \[DEFAULT\] belongs to https:\/\/default\.gcp\.databricks\.com/);
    assert.match(fromDefault, /set DATABRICKS_HOST=https:\/\/evil\.example\.com with that workspace's DATABRICKS_TOKEN, or use --profile NAME with a profile of .* whose host is https:\/\/evil\.example\.com\./);
    assert.doesNotMatch(fromDefault, /dapi-/);
    assert.match(await fail({ host: other, profile: 'staging', env: { DATABRICKS_CONFIG_FILE: config } }), /profile \[staging\] belongs to https:\/\/adb-42\.gcp\.databricks\.com/);
    assert.match(await fail({ host: 'https://default.gcp.databricks.com:8443', env: { DATABRICKS_CONFIG_FILE: config } }), /No token for https:\/\/default\.gcp\.databricks\.com:8443/, 'another port is another server');
    // DATABRICKS_TOKEN goes with DATABRICKS_HOST, or with the explicit host when DATABRICKS_HOST is unset.
    const paired = await resolveDatabricksAuth({ host: other, profile: 'staging', env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_TOKEN: 'dapi-env' } });
    assert.deepEqual(paired, { host: other, token: 'dapi-env', origin: 'DATABRICKS_TOKEN' });
    assert.match(await fail({ host: other, env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_HOST: 'https://env.gcp.databricks.com', DATABRICKS_TOKEN: 'dapi-env' } }), /DATABRICKS_TOKEN belongs to https:\/\/env\.gcp\.databricks\.com/);
    const noHost = await resolveDatabricksAuth({ env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_TOKEN: 'dapi-env' } });
    assert.deepEqual(noHost, { host: 'https://default.gcp.databricks.com', token: 'dapi-default', origin: 'profile [DEFAULT]' }, "DEFAULT's host takes DEFAULT's token");
    assert.match(await fail({ profile: 'no-token', env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_TOKEN: 'dapi-env' } }), /DATABRICKS_TOKEN names no host/);
    // The editor's token was stored for the configured host and goes nowhere else.
    assert.match(await fail({ profile: 'no-token', token: 'dapi-editor', env: { DATABRICKS_CONFIG_FILE: config, DATABRICKS_HOST: other } }), /the editor belongs to https:\/\/evil\.example\.com/);
  });

  it('refuses plain http:// unless the host is this machine or the risk is accepted', async () => {
    for (const host of ['127.0.0.1', '127.3.4.5', '[::1]', 'localhost', 'LOCALHOST.']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['10.0.0.1', '128.0.0.1', '127.0.0.1.nip.io', 'example.com', '[::2]']) assert.ok(!isLoopbackHost(host), host);
    assert.doesNotThrow(() => assertSecureHost('http://127.0.0.1:8080', false));
    assert.doesNotThrow(() => assertSecureHost('http://[::1]:8080', false));
    assert.doesNotThrow(() => assertSecureHost('https://10.0.0.5', false));
    assert.doesNotThrow(() => assertSecureHost('http://10.0.0.5', true));
    const refused = await fail({ host: 'http://10.0.0.5:8080', env: { DATABRICKS_TOKEN: 'dapi-env', DATABRICKS_CONFIG_FILE: config }, insecureHint: 'pass --allow-insecure-http' });
    assert.equal(refused, 'usage: Refusing to send the Databricks token in clear to http://10.0.0.5:8080: use https://10.0.0.5:8080, or, only on a network you trust, pass --allow-insecure-http.');
    const allowed = await resolveDatabricksAuth({ host: 'http://10.0.0.5:8080', allowInsecureHttp: true, env: { DATABRICKS_TOKEN: 'dapi-env', DATABRICKS_CONFIG_FILE: config } });
    assert.equal(allowed.host, 'http://10.0.0.5:8080');
  });

  it('says what is missing', async () => {
    assert.match(await fail({ profile: 'prod', env: { DATABRICKS_CONFIG_FILE: config } }), /no profile \[prod\]/);
    assert.match(await fail({ profile: 'no-token', env: { DATABRICKS_CONFIG_FILE: config } }), /No Databricks token/);
    assert.match(await fail({ env: { DATABRICKS_CONFIG_FILE: path.join(dir, 'absent') } }), /No Databricks workspace is configured/);
    assert.throws(() => normalizeHost('ftp://x'), /https:\/\//);
  });
});
