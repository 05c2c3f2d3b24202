import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableBase } from '../../src/extension/disposable';

class Owner extends DisposableBase {
  own(name: string, log: string[], fail = false): void {
    this.register({
      dispose: () => {
        log.push(name);
        if (fail) throw new Error(`${name} failed`);
      },
    });
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
}

test('dispose releases what was registered, newest first, once', () => {
  const log: string[] = [];
  const owner = new Owner();
  for (const name of ['a', 'b', 'c']) owner.own(name, log);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(log, ['c', 'b', 'a']);
  assert.equal(owner.disposed, true);
});

test('something registered after dispose is released at once', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.dispose();
  owner.own('late', log);
  assert.deepEqual(log, ['late']);
});

test('a failing release does not keep the others from running, and its error is not lost', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.own('a', log);
  owner.own('b', log, true);
  owner.own('c', log);
  assert.throws(() => owner.dispose(), /b failed/);
  assert.deepEqual(log, ['c', 'b', 'a']);
});
