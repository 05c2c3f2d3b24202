/** Which identity a result cell holds: by column name, or by the value's shape for emails and IP addresses. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identityOfCell, ipWithoutPort, looksLikeIp } from '../../src/shared/identityOfCell';

describe('identityOfCell', () => {
  it('reads the kind from the column name, with or without a struct prefix or system-table names', () => {
    assert.deepEqual(identityOfCell('userIdentity.email', 'ann@example.com'), { kind: 'actor', value: 'ann@example.com' });
    assert.deepEqual(identityOfCell('email', 'System-User'), { kind: 'actor', value: 'System-User' });
    assert.deepEqual(identityOfCell('source_ip_address', '10.0.0.1:443'), { kind: 'ip', value: '10.0.0.1' }, "the address without its port: its timeline finds every port");
    assert.deepEqual(identityOfCell('sessionId', 'abc'), { kind: 'session', value: 'abc' });
    assert.deepEqual(identityOfCell('a.request_id', ' r-1 '), { kind: 'request', value: 'r-1' });
  });

  it('recognizes emails and IP addresses in any column', () => {
    assert.deepEqual(identityOfCell('who', 'bob@example.org'), { kind: 'actor', value: 'bob@example.org' });
    assert.deepEqual(identityOfCell('x', '2001:db8::7'), { kind: 'ip', value: '2001:db8::7' });
    assert.deepEqual(identityOfCell('x', '198.51.100.7'), { kind: 'ip', value: '198.51.100.7' });
    assert.equal(identityOfCell('x', 'clusters'), undefined);
    assert.equal(identityOfCell('x', '999.1.1.1'), undefined);
    assert.equal(identityOfCell('x', '12:30'), undefined);
  });

  it('takes the port off an address, IPv6 in brackets too, and leaves a bare address as it is', () => {
    assert.deepEqual(identityOfCell('sourceIPAddress', '[2001:db8::1]:443'), { kind: 'ip', value: '2001:db8::1' });
    assert.deepEqual(identityOfCell('x', '[2001:db8::1]'), { kind: 'ip', value: '2001:db8::1' });
    assert.deepEqual(identityOfCell('x', '203.0.113.9:52344'), { kind: 'ip', value: '203.0.113.9' });
    assert.equal(ipWithoutPort('2001:db8::1'), '2001:db8::1');
    assert.equal(identityOfCell('sourceIPAddress', '127.0.0.1:8080'), undefined, 'a placeholder with a port is still a placeholder');
    assert.equal(identityOfCell('sessionId', '[1,2]'), undefined);
  });

  it('offers nothing for nulls, numbers, JSON, blanks, placeholder addresses or huge values', () => {
    for (const [column, value] of [
      ['email', null],
      ['requestId', 42],
      ['email', '{"a":1}'],
      ['email', '["a@b.co"]'],
      ['sessionId', '  '],
      ['sourceIPAddress', '0.0.0.0'],
      ['sourceIPAddress', '127.0.0.1'],
      ['sourceIPAddress', 'not-an-ip'],
      ['requestId', 'x'.repeat(1001)],
    ] as const) {
      assert.equal(identityOfCell(column, value), undefined, `${column}=${String(value).slice(0, 20)}`);
    }
    assert.equal(looksLikeIp('a:b'), false);
  });
});
