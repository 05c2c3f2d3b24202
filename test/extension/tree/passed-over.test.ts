import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeId, passedOverNodes } from '../../../src/extension/tree/nodes';

const DAY = '/logs/workspaceId=7/date=2024-03-05';

test('the tree shows what a listing passed over as one warning row per kind, with the paths in the tooltip', () => {
  const parent = nodeId({ kind: 'date', sourceUri: '/logs', workspaceId: '7', date: '2024-03-05' });
  const nodes = passedOverNodes(parent, [
    { kind: 'broken-link', path: `${DAY}/auditlogs_broken.json` },
    { kind: 'not-regular-file', path: `${DAY}/auditlogs_pipe.json` },
    { kind: 'broken-link', path: `${DAY}/auditlogs_loop1.json` },
    { kind: 'broken-link', path: `${DAY}/auditlogs_loop2.json` },
    { kind: 'not-regular-file', path: `${DAY}/auditlogs_zero.json` },
    { kind: 'broken-link', path: `${DAY}/auditlogs_loop1.json` },
    { kind: 'broken-link', path: `${DAY}/auditlogs_other.json` },
  ]);
  assert.deepEqual(
    nodes.map((n) => [n.icon, n.text]),
    [
      ['warning', 'Skipped: 4 symbolic links lead to no file (a missing target or a loop of links)'],
      ['warning', 'Skipped: 2 entries are not a regular file (a pipe, device or socket, never opened)'],
    ],
  );
  assert.equal(nodes[0]!.detail, `${DAY}/auditlogs_broken.json\n${DAY}/auditlogs_loop1.json\n${DAY}/auditlogs_loop2.json\n… and 1 more`);
  assert.equal(nodes[1]!.detail, `${DAY}/auditlogs_pipe.json\n${DAY}/auditlogs_zero.json`);
  assert.equal(new Set(nodes.map(nodeId)).size, 2);
  assert.ok(nodes.every((n) => nodeId(n).startsWith(`x|${parent}|`)));
});

test('nothing passed over adds no row', () => {
  assert.deepEqual(passedOverNodes('d|/logs|7|2024-03-05', []), []);
});
