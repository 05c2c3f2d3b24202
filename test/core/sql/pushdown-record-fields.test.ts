import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePrefilter } from '../../../src/core/sql/pushdown';
import { fieldText } from '../../../src/core/sql/pushdown/record-fields';

const at = (text: string, path: string) => fieldText(text, JSON.parse(text) as Record<string, unknown>, path);

describe('fieldText', () => {
  it('reads strings at top-level and nested paths, NULL where a key is missing or null', () => {
    const text = '{"sessionId":"s1","userIdentity":{"email":"a@b.c"},"requestParams":{"user":null},"response":null}';
    assert.equal(at(text, 'sessionId'), 's1');
    assert.equal(at(text, 'userIdentity.email'), 'a@b.c');
    assert.equal(at(text, 'requestParams.user'), null);
    assert.equal(at(text, 'requestParams.other'), null);
    assert.equal(at(text, 'requestId'), null);
    assert.equal(at(text, 'SessionId'), null, 'keys are case-sensitive');
  });

  it('leaves to SQLite what JSON.parse may read differently, or what is not a string', () => {
    assert.equal(at('{"sessionId":"a","sessionId":"b"}', 'sessionId'), undefined, 'a repeated key');
    assert.equal(at('{"userIdentity":{"email":"a"},"requestParams":{"email":"b"}}', 'userIdentity.email'), undefined, 'the key spelled twice');
    assert.equal(at('{"sessionId":100}', 'sessionId'), undefined);
    assert.equal(at('{"sessionId":true}', 'sessionId'), undefined);
    assert.equal(at('{"userIdentity":"{\\"email\\":\\"a\\"}"}', 'userIdentity.email'), undefined, 'a string where an object belongs');
    assert.equal(at('{"userIdentity":[1]}', 'userIdentity.email'), undefined);
    assert.equal(at('{"requestParams":{"user":{"a":"b"}}}', 'requestParams.user'), undefined);
  });
});

describe('recordMatches', () => {
  const compiled = compilePrefilter({ statements: [{ fields: [{ path: 'userIdentity.email', values: ['a@b.c'] }] }, { serviceNames: ['jobs'], fields: [{ path: 'sessionId', values: ['s1', 's2'] }] }] })!;
  const matches = (text: string) => {
    const record = JSON.parse(text) as Record<string, unknown>;
    return compiled.recordMatches(String(record.serviceName), (record.actionName ?? null) as string | null, (path) => fieldText(text, record, path));
  };

  it('wants a record whose fields one statement wants, and no other', () => {
    assert.equal(matches('{"serviceName":"accounts","userIdentity":{"email":"a@b.c"}}'), true);
    assert.equal(matches('{"serviceName":"accounts","userIdentity":{"email":"x@b.c"},"requestParams":{"user":"a@b.c"}}'), false);
    assert.equal(matches('{"serviceName":"jobs","sessionId":"s2"}'), true);
    assert.equal(matches('{"serviceName":"clusters","sessionId":"s2"}'), false);
    assert.equal(matches('{"serviceName":"accounts","userIdentity":{"email":7}}'), true, 'only SQLite can tell');
  });
});
