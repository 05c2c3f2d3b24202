/**
 * The benchmark's two sides agree: over a small generated tree in which every built-in detection
 * has a planted case that fires and one that must not, the built CLI's `detect` and DuckDB's
 * equivalents give each detection the same number of rows.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliDetections, compareRows, duckdbDetections } from '../../scripts/bench-detections';
import { selectDetections } from '../../src/core/analyses';
import { generateTree } from '../support/generate';
import { PLANTED_CASES } from '../support/generate/plant';

describe('the built-in detections through the CLI and through DuckDB', () => {
  let folder: string;
  before(async () => {
    assert.ok(existsSync(path.resolve(__dirname, '../../dist/cli.js')), 'dist/cli.js is missing: npm run build');
    folder = await mkdtemp(path.join(tmpdir(), 'bench-detections-'));
    const plant = Object.keys(PLANTED_CASES).flatMap((detection) => [
      { detection, fires: true },
      { detection, fires: false },
    ]);
    await generateTree(folder, { seed: 'bench-detections', workspaces: 2, days: 2, startDate: '2024-04-01', recordsPerDay: 400, plant });
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('gives every detection the same row count, and each one rows to count', async () => {
    const [ours, duck] = [await cliDetections(folder), await duckdbDetections(folder)];
    assert.deepEqual(compareRows(ours, duck), []);
    const ids = selectDetections().map((d) => d.id);
    assert.deepEqual([...duck.rows.keys()].sort(), [...ids].sort());
    assert.deepEqual(
      ids.filter((id) => (duck.rows.get(id) ?? 0) === 0),
      [],
      'every detection has a planted case that fires',
    );
  });
});
