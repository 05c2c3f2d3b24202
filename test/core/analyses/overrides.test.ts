/**
 * Parameter values from outside a detection's file: text (`--param`) and data (a setting) checked
 * against the declared parameter's type, applied by expanding the SQL template again (an alert's
 * condition kept), and unknown ids or names refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detections, type Detection, type DetectionParameter } from '../../../src/core/analyses';
import { applyParameterOverrides, checkedValue, parsedValue, readPackText, withParameterValues } from '../../../src/core/detections';
import { AuditLensError } from '../../../src/core/errors';

const list: DetectionParameter = { default: ['a'] };
const numbers: DetectionParameter = { default: [1, 2] };
const count: DetectionParameter = { default: 5 };
const flag: DetectionParameter = { default: true };
const text: DetectionParameter = { default: 'x' };

const usage = (pattern: RegExp) => (e: unknown) => e instanceof AuditLensError && e.code === 'usage' && pattern.test(e.userMessage);

describe('parameter values as text', () => {
  it('reads lists, numbers, booleans and strings by the parameter\'s type', () => {
    assert.deepEqual(parsedValue(' a@example.com , b ', list, 'p'), ['a@example.com', 'b']);
    assert.deepEqual(parsedValue('["a,b", "c"]', list, 'p'), ['a,b', 'c']);
    assert.deepEqual(parsedValue('', list, 'p'), []);
    assert.deepEqual(parsedValue('3, 4', numbers, 'p'), [3, 4]);
    assert.equal(parsedValue('12', count, 'p'), 12);
    assert.equal(parsedValue('False', flag, 'p'), false);
    assert.equal(parsedValue(' keep spaces ', text, 'p'), ' keep spaces ');
  });

  it('refuses text that does not fit', () => {
    assert.throws(() => parsedValue('many', count, 'p'), usage(/^p must be a number, not 'many'\.$/));
    assert.throws(() => parsedValue('', count, 'p'), usage(/must be a number/));
    assert.throws(() => parsedValue('yes', flag, 'p'), usage(/must be true or false/));
    assert.throws(() => parsedValue('1, x', numbers, 'p'), usage(/must be a list of numbers/));
    assert.throws(() => parsedValue('[1', list, 'p'), usage(/is not a JSON array/));
    assert.throws(() => parsedValue('[{"a":1}]', list, 'p'), usage(/must be a list of strings, numbers or booleans/));
  });
});

describe('parameter values as data', () => {
  it('takes the parameter\'s type, and a single value for a list as a list of one', () => {
    assert.deepEqual(checkedValue('a', list, 'p'), ['a']);
    assert.deepEqual(checkedValue([1, 'b', false], list, 'p'), [1, 'b', false]);
    assert.equal(checkedValue(7, count, 'p'), 7);
    assert.throws(() => checkedValue('7', count, 'p'), usage(/^p must be a number, like its default \(5\)\.$/));
    assert.throws(() => checkedValue(Number.NaN, count, 'p'), usage(/must be a number/));
    assert.throws(() => checkedValue(null, flag, 'p'), usage(/must be a boolean/));
    assert.throws(() => checkedValue([null], list, 'p'), usage(/must be a list/));
  });
});

describe('applying values to a library', () => {
  const mounts = detections.find((d) => d.id === 'mounts')!;

  it('expands the SQL with the value in place of the default, as a quoted literal, and leaves the others as they were', () => {
    const [changed, ...rest] = applyParameterOverrides([mounts, ...detections.filter((d) => d !== mounts)], { mounts: { ignoreActors: ["x') OR 1=1 --"] } });
    assert.ok(changed!.sql.includes("NOT IN ('x\\') OR 1=1 --')"), changed!.sql);
    assert.deepEqual(changed!.parameters.ignoreActors!.default, ["x') OR 1=1 --"]);
    assert.equal(changed!.sqlTemplate, mounts.sqlTemplate);
    assert.deepEqual(rest, detections.filter((d) => d !== mounts));
  });

  it('refuses an unknown detection, an unknown parameter, or a value of the wrong type, naming where it was set', () => {
    assert.throws(() => applyParameterOverrides(detections, { nope: { a: 1 } }), usage(/^No detection has the id 'nope'\.$/));
    assert.throws(() => applyParameterOverrides(detections, { mounts: { nope: 1 } }), usage(/^Detection 'mounts' has no parameter 'nope'\.$/));
    assert.throws(() => applyParameterOverrides(detections, { 'failed-logins': { minFailures: 'x' } }, 'Setting'), usage(/^Setting failed-logins\.minFailures must be a number/));
  });

  it('keeps a published alert\'s condition around the expanded query', () => {
    const [published] = readPackText(JSON.stringify([{ name: 'q', query: 'SELECT 1 AS n', alert: { column: 'n', op: '>', value: '0' } }]), 'q.json') as [Detection];
    assert.equal(withParameterValues(published, {}), published);
    const rule = { ...published, parameters: { min: { default: 1 } }, sqlTemplate: 'SELECT {{min}} AS n' };
    assert.match(withParameterValues(rule, { min: 4 }).sql, /^SELECT \* FROM \(\nSELECT 4 AS n\n\) AS alert_rows\nWHERE alert_rows\.`n` > 0$/);
  });
});
