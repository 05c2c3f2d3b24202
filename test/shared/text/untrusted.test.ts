import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasBidiControls, markdownCodeSpan, safeUiText, showBidiControls, WORD_JOINER } from '../../../src/shared/text/untrusted';
import { HOSTILE_NAMES, renderedIcons, renderedLinks } from '../../support/hostileText';

describe('untrusted text', () => {
  it('shows every bidi control as the editor marks it, and leaves other text alone', () => {
    assert.equal(showBidiControls('a\u202Eb\u2066c\u200Fd\u061Ce'), 'a[U+202E]b[U+2066]c[U+200F]d[U+061C]e');
    for (const code of [0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      const control = String.fromCodePoint(code);
      assert.ok(hasBidiControls(`x${control}`));
      assert.equal(hasBidiControls(showBidiControls(`x${control}y`)), false);
    }
    assert.equal(showBidiControls('עברית and العربية, é, 名前'), 'עברית and العربية, é, 名前');
  });

  it('leaves no link or icon that VS Code would render, and keeps every visible character', () => {
    for (const name of HOSTILE_NAMES) {
      const safe = safeUiText(name);
      assert.deepEqual(renderedLinks(safe), [], name);
      assert.deepEqual(renderedIcons(safe), [], name);
      assert.equal(safe.split(WORD_JOINER).join(''), showBidiControls(name), name);
    }
    assert.ok(renderedLinks('[x](command:workbench.action.terminal.new)').length === 1, 'the oracle finds links');
    assert.ok(renderedIcons('$(squirrel)').length === 1, 'the oracle finds icons');
  });

  it('makes a markdown code span that no backtick in the text can close', () => {
    assert.equal(markdownCodeSpan('key'), '`key`');
    assert.equal(markdownCodeSpan('a`b'), '``a`b``');
    assert.equal(markdownCodeSpan('`x``'), '``` `x`` ```');
    assert.equal(markdownCodeSpan('a\u202Eb\nc'), '`a[U+202E]b c`');
  });
});
