/** The worker channel on its own, over a test thread: chunks with back-pressure, cancel, restart policies. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditLensError } from '../../../src/core/errors';
import type { ProgressUpdate } from '../../../src/core/progress';
import { WorkerChannel, type RestartPolicy } from '../../../src/worker/channel/client';
import { bundleTestWorker, type TestWorker } from '../../support/testWorker';
import type { TestProtocol } from './protocol';

function isCode(code: string, message?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditLensError, `expected an AuditLensError, got ${String(error)}`);
    assert.equal(error.code, code, error.userMessage);
    if (message) assert.match(error.userMessage, message);
    return true;
  };
}

describe('WorkerChannel', { timeout: 60_000 }, () => {
  let thread: TestWorker;
  const channels: WorkerChannel<TestProtocol>[] = [];
  const open = (policy: RestartPolicy<TestProtocol>, cancelGraceMs?: number): WorkerChannel<TestProtocol> => {
    const channel = new WorkerChannel<TestProtocol>({ workerPath: thread.path, name: 'test worker', policy, cancelGraceMs });
    channels.push(channel);
    return channel;
  };

  before(async () => {
    thread = await bundleTestWorker(path.join(__dirname, 'echoThread.ts'));
  });
  after(async () => {
    await Promise.all(channels.map((c) => c.dispose()));
    await thread.remove();
  });

  it("starts its thread without the module hooks this test runs under: the bundle needs none", async () => {
    assert.ok(process.execArgv.some((option) => option.startsWith('--import')), `this test runs under a loader: ${process.execArgv.join(' ')}`);
    const seen = await open({ restart: 'on-next-request' }).request('execArgv', {});
    assert.ok(!seen.some((option) => option.startsWith('--import')), seen.join(' '));
  });

  it('streams chunks in order, each sent only after the caller took the last, with progress', async () => {
    const channel = open({ restart: 'on-next-request' });
    const taken: number[] = [];
    const updates: ProgressUpdate[] = [];
    let inSink = false;
    const reply = await channel.request('stream', { chunks: 5 }, {
      onProgress: (update) => updates.push(update),
      onChunk: async (n) => {
        assert.equal(inSink, false, 'no chunk arrives while the last is being taken');
        inSink = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        taken.push(n);
        inSink = false;
      },
    });
    assert.deepEqual(taken, [0, 1, 2, 3, 4]);
    assert.deepEqual(reply, { acknowledged: [0, 1, 2, 3, 4], aborted: false });
    assert.equal(updates.length, 5);
  });

  it('a sink that fails stops the request with its error', async () => {
    const channel = open({ restart: 'on-next-request' });
    const failing = channel.request('stream', { chunks: 100 }, {
      onChunk: (n) => {
        if (n === 2) throw new AuditLensError('data', 'the disk is full');
      },
    });
    await assert.rejects(failing, isCode('data', /disk is full/));
    assert.deepEqual(await channel.request('stream', { chunks: 1 }), { acknowledged: [0], aborted: false }, 'the thread serves the next request');
  });

  it('an unknown request type is an error of that request', async () => {
    const channel = open({ restart: 'on-next-request' });
    const untyped = channel as unknown as WorkerChannel<{ nope: TestProtocol['init'] }>;
    await assert.rejects(untyped.request('nope', {}), isCode('internal', /no request type "nope"/));
  });

  it('cancel with no grace replaces the blocked thread at once; the policy restarts and initializes it again', async () => {
    const inits: number[] = [];
    const channel = open({ restart: 'at-once', initialize: async (request) => void inits.push(await request('init', {})) });
    await channel.open();
    const first = channel.threadId;
    const controller = new AbortController();
    const blocked = channel.request('block', { ms: 30_000 }, { signal: controller.signal, cancelGraceMs: 0 });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(blocked, isCode('cancelled'));
    assert.equal(await channel.request('block', { ms: 0 }), 'unblocked');
    assert.notEqual(channel.threadId, first);
    assert.deepEqual(inits, [1, 1], 'each new thread ran initialize once');
  });

  it('a crash fails the thread\'s requests; on-next-request starts a new thread only when asked', async () => {
    const channel = open({ restart: 'on-next-request' });
    assert.equal(await channel.request('block', { ms: 0 }), 'unblocked');
    const crashed = channel.threadId;
    await assert.rejects(channel.request('crash', {}), isCode('internal', /test worker/));
    assert.equal(channel.threadId, undefined, 'no thread until the next request');
    assert.equal(await channel.request('block', { ms: 0 }), 'unblocked');
    assert.notEqual(channel.threadId, crashed);
  });

  it('a start that fails is reported to the request, and the next request tries again', async () => {
    let attempts = 0;
    const channel = open({
      restart: 'at-once',
      initialize: async () => {
        attempts++;
        if (attempts === 1) throw new AuditLensError('internal', 'first start refused');
      },
    });
    await assert.rejects(channel.request('block', { ms: 0 }), isCode('internal', /first start refused/));
    assert.equal(await channel.request('block', { ms: 0 }), 'unblocked');
    assert.equal(attempts, 2);
  });
});
