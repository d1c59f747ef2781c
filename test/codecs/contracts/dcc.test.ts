/** The DCC contracts' own formats: the sidecar's format word with its hint, an import request's document bounds, a rejection's reason, the filed-certificate query's states. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FiledQuery, ImportInput, RejectInput, SIDECAR_FORMAT, SidecarInput } from '../../../src/codecs/contracts/dcc.ts';
import { contractRefusal } from '../../helpers/refusal.ts';

const sidecar = (over: Record<string, unknown> = {}) => ({
  format: SIDECAR_FORMAT,
  certificateNo: 'C-1',
  relativeStandardUncertainty: '0.00001',
  components: [],
  ...over,
});

const it = suite('DCC contracts');

it('the sidecar names its format, and a wrong one is refused with the format to write', () => {
  assert.is(SIDECAR_FORMAT, 'metrotrace.dcc-sidecar/1');
  assert.is(contractRefusal(SidecarInput, sidecar()), 'ok');
  assert.equal(contractRefusal(SidecarInput, sidecar({ format: 'metrotrace.dcc-sidecar/2' })), [
    'INVALID_FIELD',
    '/format',
    'the sidecar format is "metrotrace.dcc-sidecar/1", not "metrotrace.dcc-sidecar/2"',
  ]);
  assert.equal((contractRefusal(SidecarInput, sidecar({ components: [{ influence: '', equipmentId: 'e', component: '1' }] })) as string[]).slice(0, 2), [
    'INVALID_FIELD',
    '/components/0/influence',
  ]);
  assert.equal(
    (contractRefusal(SidecarInput, sidecar({ components: Array(1001).fill({ influence: 'i', equipmentId: 'e', component: '1' }) })) as string[]).slice(0, 2),
    ['INVALID_FIELD', '/components'],
  );
});

it('an import request: a document of 1 to 5,000,000 characters, ids for the equipment and the lab', () => {
  assert.is(contractRefusal(ImportInput, { xml: '<x/>', subjectId: 's', labId: 'l' }), 'ok');
  assert.equal((contractRefusal(ImportInput, { xml: 'x'.repeat(5_000_001), subjectId: 's', labId: 'l' }) as string[]).slice(0, 2), ['INVALID_FIELD', '/xml']);
  assert.equal((contractRefusal(ImportInput, { xml: '<x/>', subjectId: 's', labId: 'l b' }) as string[]).slice(0, 2), ['INVALID_FIELD', '/labId']);
  assert.equal((contractRefusal(ImportInput, { xml: '<x/>', subjectId: 's', labId: 'l', validUntil: '2027/01/01' }) as string[]).slice(0, 2), [
    'INVALID_DATE',
    '/validUntil',
  ]);
});

it('a rejection says why, in at most 2,000 characters; the filings are listed by state', () => {
  assert.equal(contractRefusal(RejectInput, { reason: '' }), ['INVALID_FIELD', '/reason', 'must not be empty']);
  assert.equal((contractRefusal(RejectInput, { reason: 'x'.repeat(2001) }) as string[]).slice(0, 2), ['INVALID_FIELD', '/reason']);
  assert.is(contractRefusal(FiledQuery, { state: 'pending', limit: '10' }), 'ok');
  assert.equal((contractRefusal(FiledQuery, { state: 'open' }) as string[]).slice(0, 2), ['INVALID_FIELD', '/state']);
});

it.run();
