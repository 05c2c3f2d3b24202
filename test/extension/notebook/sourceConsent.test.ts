import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceConsent } from '../../../src/extension/notebook/sourceConsent';

function consent(trusted: boolean, answers: boolean[]) {
  const asked: string[][] = [];
  const subject = new SourceConsent({
    isTrusted: () => trusted,
    userSources: () => ['gs://mine/logs', '/data/audit'],
    ask: async (sources) => {
      asked.push([...sources]);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question about ${sources.join(', ')}`);
      return answer;
    },
  });
  return { subject, asked };
}

describe('consent to load sources in an untrusted workspace', () => {
  it('never asks in a trusted workspace', async () => {
    const { subject, asked } = consent(true, []);
    assert.equal(await subject.mayLoad(['/', 'gs://someone-elses-bucket']), true);
    assert.deepEqual(asked, []);
  });

  it('loads the user’s own sources without asking, however they are spelt', async () => {
    const { subject, asked } = consent(false, []);
    assert.equal(await subject.mayLoad(['gs://mine/logs/', '/data/audit']), true);
    assert.deepEqual(asked, []);
  });

  it('asks about the others only, loads nothing when told no, and remembers a yes', async () => {
    const { subject, asked } = consent(false, [false, true]);
    assert.equal(await subject.mayLoad(['/data/audit', '/home/victim', 'gs://other']), false);
    assert.equal(await subject.mayLoad(['/data/audit', '/home/victim', 'gs://other']), true);
    assert.equal(await subject.mayLoad(['/home/victim']), true);
    assert.deepEqual(asked, [['/home/victim', 'gs://other'], ['/home/victim', 'gs://other']]);
    assert.deepEqual(subject.unapproved(['gs://third', 'gs://other']), ['gs://third']);
  });
});
