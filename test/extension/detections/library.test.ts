/**
 * The editor's detection library: packs from the user's and the workspace's settings and from
 * each folder's .auditlens/detections, in a trusted and an untrusted workspace; a broken pack or
 * a clashing id reported (file, line, detection, field) while the rest still run; and the
 * parameter setting mapped onto the detections (the workspace's over the user's, checked).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { detections } from '../../../src/core/analyses';
import { resolveEditorLibrary, WORKSPACE_PACK_FOLDER, type LibraryInput } from '../../../src/extension/detections/library';

const rule = (id: string, extra = '') => `id: ${id}
title: Rule ${id}
severity: low
services: [dbfs]
question: Who mounted?
rationale: A test rule.
parameters:
  ignoreActors: {default: [ops@example.com]}
sql: SELECT userIdentity.email AS email FROM audit_logs WHERE serviceName = 'dbfs' AND userIdentity.email NOT IN {{ignoreActors}}
${extra}`;

let root: string;
let folder: string;
let userPack: string;
let workspacePack: string;
let broken: string;

function input(overrides: Partial<LibraryInput> = {}): LibraryInput {
  return {
    trusted: true,
    packs: { user: [userPack], workspace: ['team/workspace.yaml'] },
    parameters: { user: undefined, workspace: undefined },
    workspaceFolders: [folder],
    ...overrides,
  };
}

const ids = (list: readonly { id: string }[]) => list.map((d) => d.id);
const builtinIds = () => detections.map((d) => d.id);

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'audit-lens-editor-library-'));
  folder = path.join(root, 'project');
  mkdirSync(path.join(folder, WORKSPACE_PACK_FOLDER), { recursive: true });
  mkdirSync(path.join(folder, 'team'));
  writeFileSync(path.join(folder, WORKSPACE_PACK_FOLDER, 'a.yaml'), rule('folder-rule'));
  workspacePack = path.join(folder, 'team', 'workspace.yaml');
  writeFileSync(workspacePack, rule('workspace-rule'));
  userPack = path.join(root, 'user.yaml');
  writeFileSync(userPack, rule('user-rule'));
  broken = path.join(root, 'broken.yaml');
  writeFileSync(broken, rule('broken-rule').replace('severity: low', 'severity: urgent'));
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('packs in the editor', () => {
  it('a trusted workspace runs the built-ins, the user\'s packs, the workspace\'s (relative to its first folder) and .auditlens/detections', () => {
    const library = resolveEditorLibrary(input());
    assert.deepEqual(ids(library.detections), [...builtinIds(), 'user-rule', 'workspace-rule', 'folder-rule']);
    assert.deepEqual(library.packFiles, [userPack, workspacePack, path.join(folder, WORKSPACE_PACK_FOLDER, 'a.yaml')]);
    assert.equal(library.detections.find((d) => d.id === 'workspace-rule')!.pack, workspacePack);
    assert.deepEqual(library.problems, []);
    assert.deepEqual(library.notes, []);
  });

  it('an untrusted workspace runs the built-ins and the user\'s packs only, and says what it ignored', () => {
    const library = resolveEditorLibrary(input({ trusted: false, parameters: { user: undefined, workspace: { mounts: { ignoreActors: ['x'] } } } }));
    assert.deepEqual(ids(library.detections), [...builtinIds(), 'user-rule']);
    assert.deepEqual(library.problems, []);
    assert.equal(library.notes.length, 1);
    assert.match(library.notes[0]!, /^Restricted mode: the built-in detections run with the packs of your user settings; this workspace's detection packs, detection parameters, \.auditlens\/detections are ignored until you trust it\.$/);
    const bare = resolveEditorLibrary(input({ trusted: false, packs: { user: undefined, workspace: undefined }, workspaceFolders: [] }));
    assert.deepEqual(ids(bare.detections), builtinIds());
    assert.match(bare.notes[0]!, /^Restricted mode: the built-in detections run; /);
  });

  it('a broken pack is a problem naming its file, line, detection and field, and the other packs still load', () => {
    const library = resolveEditorLibrary(input({ packs: { user: [broken, userPack, path.join(root, 'missing.yaml')], workspace: undefined } }));
    assert.deepEqual(ids(library.detections), [...builtinIds(), 'user-rule', 'folder-rule']);
    assert.equal(library.problems.length, 2);
    assert.equal(library.problems[0], `auditLens.detectionPacks: Detection pack ${path.join(root, 'missing.yaml')}: cannot be read (ENOENT).`);
    assert.equal(library.problems[1], `Detection pack ${broken}:3: detection 'broken-rule', field 'severity': must be one of high, medium, low, info`);
  });

  it('a pack whose id clashes with a loaded one is left out whole, naming both places', () => {
    const clash = path.join(root, 'clash.yaml');
    writeFileSync(clash, `detections:\n${[rule('mounts'), rule('other-rule')].map((r) => `  - ${r.trim().split('\n').join('\n    ')}`).join('\n')}\n`);
    const library = resolveEditorLibrary(input({ packs: { user: [clash, userPack, userPack], workspace: undefined } }));
    assert.deepEqual(ids(library.detections), [...builtinIds(), 'user-rule', 'folder-rule'], 'a file named twice loads once');
    assert.deepEqual(library.problems, [`Detection pack ${clash}: detection id 'mounts' is defined in builtin too: ids must be unique across packs. The pack was left out.`]);
  });

  it('an empty .auditlens/detections folder adds nothing and is no problem', () => {
    const empty = path.join(root, 'empty-project');
    mkdirSync(path.join(empty, WORKSPACE_PACK_FOLDER), { recursive: true });
    const library = resolveEditorLibrary(input({ packs: { user: undefined, workspace: undefined }, workspaceFolders: [empty] }));
    assert.deepEqual(ids(library.detections), builtinIds());
    assert.deepEqual(library.problems, []);
  });
});

describe('the detectionParameters setting', () => {
  const sqlOf = (library: ReturnType<typeof resolveEditorLibrary>, id: string) => library.detections.find((d) => d.id === id)!.sql;

  it('maps values onto the detections\' SQL as literals, the workspace\'s over the user\'s; untrusted, only the user\'s count', () => {
    const parameters = {
      user: { mounts: { ignoreActors: ['user@example.com'] }, 'failed-logins': { minFailures: 9 } },
      workspace: { mounts: { ignoreActors: ["o'brien@example.com", 'ops@example.com'] }, 'user-rule': { ignoreActors: [] } },
    };
    const trusted = resolveEditorLibrary(input({ parameters }));
    assert.deepEqual(trusted.problems, []);
    assert.match(sqlOf(trusted, 'mounts'), /NOT IN \('o\\'brien@example\.com', 'ops@example\.com'\)/);
    assert.deepEqual(trusted.detections.find((d) => d.id === 'mounts')!.parameters.ignoreActors!.default, ["o'brien@example.com", 'ops@example.com']);
    assert.match(sqlOf(trusted, 'failed-logins'), /HAVING COUNT\(\*\) >= 9/);
    assert.match(sqlOf(trusted, 'user-rule'), /NOT IN \(SELECT NULL WHERE 1 = 0\)/);
    const untrusted = resolveEditorLibrary(input({ trusted: false, parameters }));
    assert.match(sqlOf(untrusted, 'mounts'), /NOT IN \('user@example\.com'\)/);
    const untouched = detections.find((d) => d.id === 'secret-changes')!;
    assert.equal(sqlOf(trusted, 'secret-changes'), untouched.sql);
  });

  it('a value for an unknown detection or parameter, or of the wrong type, is a problem; the others still apply', () => {
    const library = resolveEditorLibrary(input({
      parameters: {
        user: undefined,
        workspace: { 'no-such': { ignoreActors: [] }, mounts: { ignoreAgents: ['x'], ignoreActors: 'eve@example.com' }, 'failed-logins': { minFailures: 'many' }, 'secret-reads': 3 },
      },
    }));
    assert.deepEqual(library.problems, [
      "auditLens.detectionParameters: No detection has the id 'no-such'. Known ids: " + [...builtinIds(), 'user-rule', 'workspace-rule', 'folder-rule'].join(', ') + '.',
      "auditLens.detectionParameters: Detection 'mounts' has no parameter 'ignoreAgents'. Its parameters: ignoreActors.",
      'auditLens.detectionParameters: failed-logins.minFailures must be a number, like its default (5).',
      "auditLens.detectionParameters: the value for 'secret-reads' must be an object of parameter values.",
    ]);
    assert.match(sqlOf(library, 'mounts'), /NOT IN \('eve@example\.com'\)/, 'a single value for a list is a list of one');
    const notAnObject = resolveEditorLibrary(input({ parameters: { user: ['x'], workspace: undefined } }));
    assert.deepEqual(notAnObject.problems, ['auditLens.detectionParameters must be an object: {"<detection-id>": {"<parameter>": value}}.']);
  });
});
