// Makes sure this machine has what the browser and VS Code host tests need, before `npm test`
// runs them: Debian's chromium, and code-server in its cache folder (installing it needs
// libkrb5-dev and ripgrep). As root with apt-get, installs what is missing; otherwise stops at
// once and prints the one command that installs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CODE_SERVER_VERSION = '4.100.3';
const cacheRoot = process.env.AUDIT_LENS_CACHE ?? join(homedir(), '.cache', 'audit-lens');
const codeServerDir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
const codeServerReady = existsSync(join(codeServerDir, '.complete')) && existsSync(join(codeServerDir, 'node_modules/code-server/out/node/entry.js'));

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const onPath = (name) => succeeds('sh', ['-c', `command -v ${name}`]);

const chromium = process.env.AUDIT_LENS_CHROMIUM ?? '/usr/bin/chromium';
const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!codeServerReady) {
  if (!onPath('rg')) missing.push('ripgrep');
  if (!succeeds('dpkg', ['-s', 'libkrb5-dev'])) missing.push('libkrb5-dev');
}

function run(command, args, env = process.env) {
  console.error(`test set-up: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (result.status !== 0) {
    console.error(`test set-up: ${command} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) {
    const install = `apt-get install -y ${missing.join(' ')}`;
    console.error(`npm test needs ${missing.join(', ')} (the browser and VS Code host tests), which this machine lacks.`);
    console.error(onPath('apt-get') ? `Run once, then npm test again:\n  sudo ${install}` : `Install the Debian packages ${missing.join(', ')} (or their equivalents), then run npm test again.`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], env);
  run('apt-get', ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=600', ...missing], env);
}

if (!codeServerReady) run('bash', [join(here, 'install-code-server.sh')]);
