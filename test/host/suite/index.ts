/**
 * Runs the host suite inside VS Code's extension host (code-server or @vscode/test-electron):
 * every out/host/*.host.js next to this file (or every *.untrusted.js, for the harness's run in
 * restricted mode). Writes the spec output to AUDIT_LENS_HOST_REPORT
 * when set, since the extension host's stdout is not the test runner's.
 */
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const reportFile = process.env.AUDIT_LENS_HOST_REPORT;
  if (reportFile) writeFileSync(reportFile, '');
  const write = (line: string) => {
    if (reportFile) appendFileSync(reportFile, line + '\n');
    console.log(line);
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: class {} as unknown as Mocha.ReporterConstructor });
  const grep = process.env.AUDIT_LENS_HOST_GREP;
  if (grep) mocha.grep(grep);
  // Set by the harness for the run in restricted mode (harness/runHostSuite.ts, SUITE_KIND_ENV).
  const suffix = process.env.AUDIT_LENS_HOST_SUITE_KIND === 'untrusted' ? '.untrusted.js' : '.host.js';
  for (const name of readdirSync(__dirname).filter((n) => n.endsWith(suffix)).sort()) {
    mocha.addFile(path.join(__dirname, name));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      write(`# ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => write(`ok - ${t.fullTitle()}`));
    runner.on('fail', (t, err: Error) => write(`not ok - ${t.fullTitle()}\n  ${String(err.stack ?? err).replace(/\n/g, '\n  ')}`));
  });
}
