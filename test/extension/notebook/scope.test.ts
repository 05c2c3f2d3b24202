import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultScope, scopeFromArgument, scopeLabel } from '../../../src/extension/notebook/scope';

describe('notebook scope from a command argument', () => {
  it('takes an explicit scope', () => {
    assert.deepEqual(scopeFromArgument({ sources: ['gs://b/p'], workspaces: ['12'], from: '2024-01-01', to: '2024-01-02' }), { scope: { sources: ['gs://b/p'], workspaces: ['12'], from: '2024-01-01', to: '2024-01-02' } });
    assert.equal(scopeFromArgument({ sources: 'gs://b' }), undefined);
    assert.equal(scopeFromArgument(undefined), undefined);
  });

  it('narrows to a tree node: workspace, date, month and action (with a first cell)', () => {
    assert.deepEqual(scopeFromArgument({ kind: 'source', sourceUri: 'gs://b/p' }), { scope: { sources: ['gs://b/p'] } });
    assert.deepEqual(scopeFromArgument({ kind: 'workspace', sourceUri: 'gs://b/p', workspaceId: '0' }), { scope: { sources: ['gs://b/p'], workspaces: ['0'] } });
    assert.deepEqual(scopeFromArgument({ kind: 'month', sourceUri: 'gs://b/p', workspaceId: '1', month: '2024-02', dates: ['2024-02-09', '2024-02-01'] })?.scope, { sources: ['gs://b/p'], workspaces: ['1'], from: '2024-02-01', to: '2024-02-09' });
    const action = scopeFromArgument({ kind: 'action', sourceUri: 'gs://b/p', workspaceId: '1', date: '2024-01-05', service: 'accounts', action: "lo'gin" });
    assert.deepEqual(action?.scope, { sources: ['gs://b/p'], workspaces: ['1'], from: '2024-01-05', to: '2024-01-05' });
    assert.equal(action?.cell?.title, "accounts.lo'gin");
    assert.match(action?.cell?.sql ?? '', /WHERE serviceName = 'accounts' AND actionName = 'lo''gin'/);
  });

  it('defaults to the configured sources and the last N days', () => {
    assert.deepEqual(defaultScope(['gs://b'], 7, new Date('2024-03-10T12:00:00Z')), { sources: ['gs://b'], from: '2024-03-04', to: '2024-03-10' });
    assert.deepEqual(defaultScope(['/x'], 0), { sources: ['/x'] });
  });
});

describe('notebook scope label (the tab title)', () => {
  it('names the source, the workspace and the date range the scope sets', () => {
    assert.equal(scopeLabel({ sources: ['gs://bucket/prefix/'], from: '2024-05-06', to: '2024-05-12' }), 'gs://bucket/prefix · 2024-05-06…2024-05-12');
    assert.equal(scopeLabel({ sources: [path.join('data', 'audit', 'logs')], workspaces: ['123'] }), 'logs · workspace 123');
    assert.equal(scopeLabel({ sources: ['gs://b'], workspaces: ['0'], from: '2024-05-06', to: '2024-05-06' }), 'gs://b · account level · 2024-05-06');
  });

  it('shortens several sources and workspaces, and open date ranges', () => {
    assert.equal(scopeLabel({ sources: ['gs://a/p', 'gs://b/q', 'gs://c'], workspaces: ['1', '2'], from: '2024-05-06' }), 'gs://a/p +2 · 2 workspaces · 2024-05-06…');
    assert.equal(scopeLabel({ sources: ['gs://a'], to: '2024-05-12' }), 'gs://a · …2024-05-12');
    assert.equal(scopeLabel({ sources: [] }), 'no source');
  });
});
