/** package.json's contributions agree with the ids and ranges the code declares once. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMANDS, DATE_RANGE_ACTIVE, HAS_SOURCES, SOURCES_VIEW } from '../../src/extension/commands/ids';
import { SETTING_RANGES } from '../../src/extension/settingRanges';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; when: string }[];
    configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as Manifest;
const declared = new Set<string>(Object.values(COMMANDS));

test('every contributed command is declared in the code, and every declared one contributed', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual([...contributed].sort(), [...declared].sort());
  assert.equal(new Set(contributed).size, contributed.length, 'no command is contributed twice');
});

test('menus name only declared commands', () => {
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(declared.has(item.command), `${menu} names ${item.command}`);
  }
});

test('the sources view and the context keys in when clauses are the code\'s', () => {
  assert.ok(Object.values(manifest.contributes.views).flat().some((v) => v.id === SOURCES_VIEW));
  assert.ok(manifest.contributes.viewsWelcome.every((w) => w.view === SOURCES_VIEW && w.when.includes(HAS_SOURCES)));
  const whens = Object.values(manifest.contributes.menus).flat().map((m) => m.when ?? '').join(' ');
  assert.ok(whens.includes(DATE_RANGE_ACTIVE));
  for (const key of whens.match(/auditLens\.[A-Za-z]+(?=\s|$|\))/g) ?? []) {
    assert.ok([HAS_SOURCES, DATE_RANGE_ACTIVE, SOURCES_VIEW].includes(key), `${key} in a when clause is a view or a context key of the code`);
  }
});

test('numeric settings have the defaults and bounds the code clamps to', () => {
  for (const [key, range] of Object.entries(SETTING_RANGES)) {
    const property = manifest.contributes.configuration.properties[`auditLens.${key}`];
    assert.ok(property, `auditLens.${key} is contributed`);
    assert.deepEqual({ default: property.default, minimum: property.minimum, maximum: property.maximum }, range, key);
  }
});
