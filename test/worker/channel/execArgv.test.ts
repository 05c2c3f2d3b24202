import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workerExecArgv } from '../../../src/worker/channel/execArgv';

describe("a worker's Node options", () => {
  it("are the parent's without the module hooks, in either spelling", () => {
    assert.deepEqual(workerExecArgv(['--import', 'tsx', '--enable-source-maps', '--require=./x.js', '-r', 'y', '--loader', 'z', '--experimental-loader=w', '--max-old-space-size=4096']), ['--enable-source-maps', '--max-old-space-size=4096']);
    assert.equal(workerExecArgv([]), undefined, 'nothing to drop: Node passes them on as it does by default');
    assert.equal(workerExecArgv(['--enable-source-maps']), undefined);
  });
});
