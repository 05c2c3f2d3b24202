import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const code = await main(['catalog', ...argv], { stdout: out, stderr: new PassThrough(), stderrIsTty: false }, new AbortController().signal);
  return { code, out: Buffer.concat(parts).toString('utf8') };
}

test('catalog --json prints services with level, actions and params', async () => {
  const { code, out } = await run(['--json']);
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as { services: { name: string; level: string; actions: { name: string; params: string[] }[] }[] };
  assert.equal(parsed.services.length, 41);
  assert.equal(parsed.services.reduce((n, s) => n + s.actions.length, 0), 203);
  const sql = parsed.services.find((s) => s.name === 'sqlanalytics');
  assert.deepEqual(sql?.actions.find((a) => a.name === 'createEndpoint')?.params, []);
  assert.deepEqual(parsed.services.filter((s) => s.name === 'accounts').map((s) => s.level), ['WORKSPACE_LEVEL', 'ACCOUNT_LEVEL']);
  for (const s of parsed.services) assert.deepEqual(Object.keys(s), ['name', 'level', 'description', 'actions']);
});

test('catalog prints a readable listing', async () => {
  const { code, out } = await run([]);
  assert.equal(code, 0);
  assert.match(out, /^accounts \(workspace level\): /);
  assert.match(out, /\n {2}createEndpoint +\(no parameters\)\n/);
  assert.match(out, /\nssoConfigBackend \(account level\): /);
  assert.match(out, /41 services, 203 actions\n$/);
});

test('catalog rejects arguments with exit 2', async () => {
  assert.equal((await run(['extra'])).code, 2);
});
