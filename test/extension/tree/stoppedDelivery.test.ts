import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NewestDates, stoppedDelivery, stoppedDeliveryText } from '../../../src/extension/tree/stoppedDelivery';

const newest = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('the stopped-delivery mark', () => {
  it('marks a workspace whose newest date folder is two days or more behind the others', () => {
    const listed = newest({ '1': '2024-03-10', '2': '2024-03-08', '3': '2024-03-09' });
    assert.deepEqual(stoppedDelivery(listed, '2'), { lastDate: '2024-03-08', othersNewest: '2024-03-10' });
    assert.equal(stoppedDeliveryText(stoppedDelivery(listed, '2')!), 'delivery may have stopped: last date 2024-03-08');
  });

  it('leaves a workspace one day behind, the newest one, and a lone workspace alone', () => {
    const listed = newest({ '1': '2024-03-10', '3': '2024-03-09' });
    assert.equal(stoppedDelivery(listed, '3'), undefined, 'one day behind is ordinary delivery lag');
    assert.equal(stoppedDelivery(listed, '1'), undefined);
    assert.equal(stoppedDelivery(newest({ '1': '2024-01-01' }), '1'), undefined, 'nothing to compare with');
    assert.equal(stoppedDelivery(listed, '9'), undefined, 'dates not listed yet');
  });

  it('counts days across a month end', () => {
    assert.ok(stoppedDelivery(newest({ '1': '2024-03-01', '2': '2024-02-28' }), '2'), 'leap day between: two days');
    assert.equal(stoppedDelivery(newest({ '1': '2023-03-01', '2': '2023-02-28' }), '2'), undefined);
  });

  it('says which rows to redraw as listings arrive, and forgets a source', () => {
    const dates = new NewestDates();
    assert.deepEqual(dates.record('s', '1', ['2024-03-01', '2024-03-02']), []);
    assert.deepEqual(dates.record('s', '2', ['2024-03-05']), ['1'], 'the first workspace is now behind');
    assert.equal(dates.stopped('s', '1')?.lastDate, '2024-03-02');
    assert.equal(dates.stopped('other', '1'), undefined, 'another source is another comparison');
    assert.deepEqual(dates.record('s', '1', ['2024-03-04']), ['1'], 'a new date folder lifts the mark');
    assert.equal(dates.stopped('s', '1'), undefined);
    assert.deepEqual(dates.record('s', '2', []), [], 'an empty listing drops the workspace from the comparison');
    dates.record('s', '3', ['2024-03-10']);
    assert.ok(dates.stopped('s', '1'));
    dates.forget('s');
    assert.equal(dates.stopped('s', '1'), undefined);
  });
});
