import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlightClass, identifierName, significant, sparkStringValue, SqlLexError, tokenize } from '../../../src/shared/sql/lexer';

const spark = (sql: string) => tokenize(sql, { backslashEscapes: true });

describe('the shared SQL lexer', () => {
  it('reads backslash escapes in both quote styles when asked, as Spark does', () => {
    const [single, , double] = spark(String.raw`'it\'s \\d+' "a\"b"`);
    assert.equal(single!.kind, 'string');
    assert.equal(sparkStringValue(single!), String.raw`it's \d+`);
    assert.equal(sparkStringValue(double!), 'a"b');
  });

  it("keeps \\% and \\_ escaped and drops the backslash of other unknown escapes, as Spark's parser does", () => {
    const [token] = spark(String.raw`'50\% a\_b \d \n'`);
    assert.equal(sparkStringValue(token!), '50\\% a\\_b d \n');
  });

  it('reads :name after a column as a parameter token, and :: as one operator', () => {
    const tokens = significant(spark('raw:a.b x::int'));
    assert.deepEqual(
      tokens.map((t) => `${t.kind}:${t.text}`),
      ['word:raw', 'param::a', 'punct:.', 'word:b', 'word:x', 'operator:::', 'word:int'],
    );
  });

  it('throws a positioned lexing error in strict mode', () => {
    assert.throws(
      () => tokenize("SELECT 'abc"),
      (e: unknown) => e instanceof SqlLexError && e.offset === 7 && /unterminated string/.test(e.message),
    );
  });

  it('never throws in lenient mode, covers the text exactly, and runs unterminated tokens to the end', () => {
    const text = "SELECT `a, 'half /* open # ";
    const tokens = tokenize(text, { lenient: true });
    assert.equal(tokens.map((t) => t.text).join(''), text);
    assert.equal(tokens[tokens.length - 1]!.kind, 'backtick');
    assert.equal(identifierName(tokens[tokens.length - 1]!), "a, 'half /* open # ");
    const odd = tokenize('a # b 12abc', { lenient: true });
    assert.deepEqual(odd.map((t) => t.kind), ['word', 'space', 'unknown', 'space', 'word', 'space', 'number']);
  });

  it('gives the editor its highlight classes', () => {
    const classes = tokenize("SELECT `x`, 'y', 3 -- c", { lenient: true }).map(highlightClass);
    assert.deepEqual(classes, ['keyword', 'whitespace', 'quotedIdentifier', 'punctuation', 'whitespace', 'string', 'punctuation', 'whitespace', 'number', 'whitespace', 'comment']);
  });

  it('reads Spark typed number literals as one number', () => {
    assert.deepEqual(significant(tokenize('10L 1.5D 3BD')).map((t) => t.kind), ['number', 'number', 'number']);
  });
});
