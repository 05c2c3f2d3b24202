import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStringToken, significant, sparkStringValue, tokenize } from '../../../src/shared/sql/lexer';
import { sparkStringLiteral } from '../../../src/shared/sql/literal';

const VALUES = ['', 'plain', "o'brien", 'back\\slash', '\\', "\\'", "'", "''", '"double"', 'new\nline', 'tab\there', '\\u0041', '%_', 'x\u202Ey', '😀', "'); DROP TABLE audit_logs; --"];

test('a Spark string literal reads back as exactly its value, one token, whatever the value holds', () => {
  for (const value of VALUES) {
    const literal = sparkStringLiteral(value);
    const tokens = significant(tokenize(`SELECT ${literal} FROM audit_logs`, { backslashEscapes: true }));
    assert.equal(tokens.length, 4, literal);
    assert.ok(isStringToken(tokens[1]), literal);
    assert.equal(sparkStringValue(tokens[1]!), value, literal);
  }
});
