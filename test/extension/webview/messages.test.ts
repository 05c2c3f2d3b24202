/** The webviews' shared message handling: validation, the ready handshake and typed dispatch. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimelineWebviewMessage, type TimelineWebviewNotifications } from '../../../src/protocol/timeline';
import { dispatchNotification, isReady, MessageGate, NotificationReceiver, type Notification } from '../../../src/extension/webview/messages';

type Map = { ready: Record<string, never>; cancel: { requestId: number } };

const parse = (raw: unknown) => {
  const message = raw as Notification<Map>;
  if (message?.kind === 'notify' && (message.method === 'ready' || message.method === 'cancel')) return { ok: true as const, value: message };
  return { ok: false as const, reason: 'not a known notification' };
};

describe('webview messages', () => {
  it('drops what does not validate, logging and keeping why, and notes the ready handshake', () => {
    const warnings: string[] = [];
    const gate = new MessageGate('panel', parse, { warn: (m) => warnings.push(m) });
    assert.equal(gate.accept({ kind: 'notify', method: 'eval' }), undefined);
    assert.equal(gate.ready, false);
    assert.deepEqual(gate.accept({ kind: 'notify', method: 'cancel', params: { requestId: 1 } }), { kind: 'notify', method: 'cancel', params: { requestId: 1 } });
    assert.equal(gate.ready, false, 'only ready says the page booted');
    assert.ok(gate.accept({ kind: 'notify', method: 'ready', params: {} }));
    assert.equal(gate.ready, true);
    assert.deepEqual(gate.rejected, ['not a known notification']);
    assert.deepEqual(warnings, ['panel: ignored a message from the webview: not a known notification']);
  });

  it('hands each notification to the handler of its method only', async () => {
    const seen: string[] = [];
    const handlers = { ready: () => void seen.push('ready'), cancel: (p: { requestId: number }) => void seen.push(`cancel ${p.requestId}`) };
    await dispatchNotification<Map>(handlers, { kind: 'notify', method: 'cancel', params: { requestId: 7 } });
    await dispatchNotification<Map>(handlers, { kind: 'notify', method: 'ready', params: {} });
    assert.deepEqual(seen, ['cancel 7', 'ready']);
    assert.equal(isReady({ kind: 'request', method: 'ready' }), false);
  });

  it('receives a protocol’s notifications end to end, rejecting malformed ones before any handler runs', async () => {
    const seen: string[] = [];
    const receiver = new NotificationReceiver<TimelineWebviewNotifications>('timeline', parseTimelineWebviewMessage, { warn: () => undefined }, {
      ready: () => void seen.push('ready'),
      run: () => void seen.push('run'),
      cancel: () => void seen.push('cancel'),
      openRaw: (p) => void seen.push(`openRaw ${p.file}:${p.line}`),
      pivot: () => void seen.push('pivot'),
    });
    await receiver.receive({ kind: 'notify', method: 'openRaw', params: { file: '/a.json', line: 0 } });
    await receiver.receive({ kind: 'notify', method: 'openRaw', params: { file: '/a.json', line: 3 } });
    await receiver.receive({ kind: 'notify', method: 'ready', params: {} });
    assert.deepEqual(seen, ['openRaw /a.json:3', 'ready']);
    assert.equal(receiver.rejected.length, 1);
    assert.equal(receiver.ready, true);
  });
});
