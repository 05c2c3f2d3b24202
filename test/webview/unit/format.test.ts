import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cellText, compareValues, sortedOrder, toMarkdown, toTsv } from '../../../webview/grid/format';
import { chartForResult, histogramModel } from '../../../webview/charts/model';
import { complete } from '../../../webview/editor/completion';
import { aCatalog } from '../builders';

describe('grid formatting', () => {
  it('shows NULL, numbers and objects as text', () => {
    assert.equal(cellText(null), 'NULL');
    assert.equal(cellText(12), '12');
    assert.equal(cellText({ a: 1 }), '{"a":1}');
  });

  it('sorts NULLs first, numbers numerically, stable on ties', () => {
    assert.ok(compareValues(null, 1) < 0 && compareValues(9, 10) < 0 && compareValues('b', 'a') > 0);
    const rows = [['x', 2], ['y', 10], ['z', null], ['w', 2]];
    assert.deepEqual([...sortedOrder(rows, 1, 'asc')], [2, 0, 3, 1]);
    assert.deepEqual([...sortedOrder(rows, 1, 'desc')], [1, 0, 3, 2]);
  });

  it('copies TSV with headers, flattening tabs and line breaks', () => {
    assert.equal(toTsv(['a', 'b'], [['x\ty', null], ['1\n2', 3]]), 'a\tb\nx y\t\n1 2\t3\n');
  });

  it('copies a Markdown table with pipes and backslashes escaped', () => {
    assert.equal(toMarkdown(['a|b', 'c'], [['x|y\\z', 'l1\nl2']]), '| a\\|b | c |\n| --- | --- |\n| x\\|y\\\\z | l1<br>l2 |\n');
  });
});

describe('charts for results', () => {
  it('draws bars for grouped counts, top values first', () => {
    const model = chartForResult(['service', 'n'], [['a', 1], ['b', 5], [null, 2]]);
    assert.ok(model?.kind === 'bars');
    assert.deepEqual(model.bars.map((b) => b.label), ['b', 'NULL', 'a']);
  });

  it('draws a time series when a date or timestamp column is there', () => {
    const byDate = chartForResult(['date', 'events'], [['2024-01-02', 3], ['2024-01-01', 4]]);
    assert.ok(byDate?.kind === 'timeseries');
    assert.deepEqual(byDate.labels, ['2024-01-01', '2024-01-02']);
    assert.deepEqual(byDate.series[0].values, [4, 3]);
    const byTimestamp = chartForResult(['timestamp', 'email'], [[Date.UTC(2024, 0, 1, 5), 'a'], [Date.UTC(2024, 0, 1, 9), 'b'], [Date.UTC(2024, 0, 3), 'c']]);
    assert.ok(byTimestamp?.kind === 'timeseries');
    assert.deepEqual(byTimestamp.series[0].values, [2, 1]);
  });

  it('has no chart without a number or a time', () => {
    assert.equal(chartForResult(['email'], [['a'], ['b']]), undefined);
  });

  it('stacks the busiest services per day and sums the rest as other', () => {
    const model = histogramModel([
      { date: '2024-01-01', serviceName: 'a', count: 10 },
      { date: '2024-01-01', serviceName: 'b', count: 5 },
      { date: '2024-01-02', serviceName: 'c', count: 1 },
    ], 2);
    assert.ok(model.kind === 'stacked');
    assert.deepEqual(model.series.map((s) => [s.name, s.values]), [['a', [10, 0]], ['b', [5, 0]], ['other', [0, 1]]]);
  });
});

describe('SQL completion', () => {
  const catalog = aCatalog();
  it('offers columns and keywords for a word', () => {
    const c = complete('SELECT serv', 11, catalog);
    assert.deepEqual(c?.items.map((i) => i.label), ['serviceName']);
    assert.equal(c?.from, 7);
  });

  it('offers nested fields after a dot', () => {
    assert.deepEqual(complete('SELECT response.st', 18, catalog)?.items.map((i) => i.label), ['statusCode']);
  });

  it('offers requestParams keys of the actions the query names, or all', () => {
    const sql = "SELECT requestParams. FROM audit_logs WHERE serviceName = 'clusters' AND actionName IN ('create')";
    assert.deepEqual(complete(sql, 21, catalog)?.items.map((i) => i.label), ['cluster_name', 'spark_version']);
    const all = complete('SELECT requestParams.', 21, catalog)?.items.map((i) => i.label);
    assert.deepEqual(all, ['cluster_name', 'spark_version', 'tokenId', 'user']);
  });

  it('offers services and actions inside string literals', () => {
    assert.deepEqual(complete('WHERE serviceName = "acc', 24, catalog)?.items.map((i) => i.label), ['accounts']);
    const actions = complete("WHERE serviceName = 'accounts' AND actionName IN ('login', 'tok", 61, catalog);
    assert.deepEqual(actions?.items.map((i) => i.label), ['tokenLogin']);
  });

  it('stays quiet inside comments and other strings', () => {
    assert.equal(complete('-- serv', 7, catalog), undefined);
    assert.equal(complete("WHERE email = 'acc", 18, catalog), undefined);
  });
});
