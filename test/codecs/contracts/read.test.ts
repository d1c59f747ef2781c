/** The contract reader and the one keyword → (code, field, sentence) mapping that HTTP and the other edges share. */
import { Type } from '@sinclair/typebox';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CalendarDateString, DecimalString, ERROR_CODE, Id, ID_HINT, Nullable, Text } from '../../../src/codecs/contracts/common.ts';
import { contractProblem, readContract } from '../../../src/codecs/contracts/read.ts';
import { MetrologyError } from '../../../src/core/errors.ts';

const Thing = Type.Object(
  {
    id: Type.Optional(Id),
    name: Text(5),
    on: CalendarDateString,
    value: Type.Optional(DecimalString),
    note: Type.Optional(Nullable(Text(3))),
    tags: Type.Optional(Type.Array(Id, { maxItems: 2 })),
  },
  { additionalProperties: false },
);

function refusal(raw: unknown): { code: string; path: string; message: string } {
  try {
    readContract(Thing, raw);
  } catch (e) {
    if (e instanceof MetrologyError) return { code: e.code, path: e.path, message: e.message };
    throw e;
  }
  throw new Error('accepted');
}

const ok = { name: 'gauge', on: '2026-11-25' };

test('a value that keeps the contract is returned as it is; an optional null is absent', () => {
  const v = { ...ok, value: '1.5', note: null, tags: ['a', 'b'] };
  assert.is(readContract(Thing, v), v);
});

test('the code comes from the x-error-code annotation, not from the text of the pattern', () => {
  assert.equal(refusal({ ...ok, on: '25.11.2026' }), { code: 'INVALID_DATE', path: '/on', message: '"25.11.2026" is not a date; write it as YYYY-MM-DD' });
  assert.is(refusal({ ...ok, value: '1,5' }).code, 'INVALID_DECIMAL');
  assert.is(refusal({ ...ok, value: 1.5 }).code, 'JSON_NUMBER');
  // the same pattern without the annotation is a plain format error; another pattern with it has the annotated code
  const plainDate = Type.Object({ on: Type.String({ pattern: CalendarDateString.pattern }) });
  assert.is(contractProblem({ keyword: 'pattern', path: '/on', params: {}, data: 'x', schema: plainDate.properties.on }).code, 'INVALID_FIELD');
  const yearMonth = Type.String({ pattern: '^\\d{4}-\\d{2}$', [ERROR_CODE]: 'INVALID_DATE' });
  assert.is(contractProblem({ keyword: 'pattern', path: '/m', params: {}, data: 'x', schema: yearMonth }).code, 'INVALID_DATE');
});

test('a failed pattern that carries a hint says the hint', () => {
  assert.equal(refusal({ ...ok, id: '-x' }), { code: 'INVALID_FIELD', path: '/id', message: ID_HINT });
  assert.equal(refusal({ ...ok, tags: ['a', 'b c'] }).path, '/tags/1');
});

test('missing, unknown, too long and too many fields, each at its pointer', () => {
  assert.equal(refusal({ on: '2026-11-25' }), { code: 'MISSING_FIELD', path: '/name', message: "'name' is required" });
  assert.equal(refusal({ ...ok, colour: 'red' }).code, 'UNKNOWN_FIELD');
  assert.equal(refusal({ ...ok, colour: 'red' }).path, '/colour');
  assert.equal(refusal({ ...ok, name: 'gauges' }).path, '/name');
  assert.equal(refusal({ ...ok, note: 'long' }).path, '/note');
  assert.equal(refusal({ ...ok, tags: ['a', 'b', 'c'] }).path, '/tags');
  assert.equal(refusal({ ...ok, name: 5 }), { code: 'INVALID_FIELD', path: '/name', message: 'must be string' });
  // lengths are in characters, not UTF-16 units: five characters of two units each are not too long, six are
  assert.equal(readContract(Thing, { ...ok, name: '𝔤𝔞𝔲𝔤𝔢' }).name, '𝔤𝔞𝔲𝔤𝔢');
  assert.equal(refusal({ ...ok, name: '𝔤𝔞𝔲𝔤𝔢𝔰' }).path, '/name');
  assert.is(readContract(Thing, { ...ok, note: '𝔞𝔟𝔠' }).note, '𝔞𝔟𝔠');
  // an empty text is said to be empty, through the reader and through the transport's validator alike
  assert.equal(refusal({ ...ok, name: '' }), { code: 'INVALID_FIELD', path: '/name', message: 'must not be empty' });
  assert.equal(
    contractProblem({
      keyword: 'minLength',
      path: '/name',
      params: { limit: 1 },
      data: '',
      schema: Thing.properties.name,
      message: 'must NOT have fewer than 1 characters',
    }),
    { code: 'INVALID_FIELD', path: '/name', detail: 'must not be empty' },
  );
  assert.equal(refusal([ok]).path, '');
});

test.run();
