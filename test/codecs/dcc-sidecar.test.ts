/** The DCC sidecar: read against its contract, no influence twice, no negative uncertainty; written back with decimals as text. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { componentSet, readSidecar, SIDECAR_FORMAT, toSidecar, writeSidecar } from '../../src/codecs/dcc-sidecar.ts';
import type { SidecarInputShape } from '../../src/codecs/contracts/dcc.ts';
import { refusal } from '../helpers/refusal.ts';

const raw = (): SidecarInputShape => ({
  format: 'metrotrace.dcc-sidecar/1',
  certificateNo: 'DCC-2026-001',
  relativeStandardUncertainty: '0.000025',
  components: [
    { influence: 'cal:r-national', equipmentId: 'national', level: 'national_primary_standard', component: '0.000020' },
    { influence: 'cal:r-working', equipmentId: 'working', component: '-1.5e-5' },
  ],
});

const it = suite('DCC sidecar');

it('reads a sidecar: decimals exact, a missing level null', () => {
  const s = readSidecar(raw(), '/sidecar');
  assert.is(s.certificateNo, 'DCC-2026-001');
  assert.is(s.relativeStandardUncertainty.toString(), '0.000025');
  assert.equal(
    s.components.map((c) => [c.influence, c.equipmentId, c.level, c.component.toString()]),
    [
      ['cal:r-national', 'national', 'national_primary_standard', '0.00002'],
      ['cal:r-working', 'working', null, '-0.000015'],
    ],
  );
});

it('writes it back as the format with decimals as strings, and reads its own writing', () => {
  const written = writeSidecar(readSidecar(raw(), '/sidecar'));
  assert.is(SIDECAR_FORMAT, 'metrotrace.dcc-sidecar/1');
  assert.equal(written, {
    format: 'metrotrace.dcc-sidecar/1',
    certificateNo: 'DCC-2026-001',
    relativeStandardUncertainty: '0.000025',
    components: [
      { influence: 'cal:r-national', equipmentId: 'national', level: 'national_primary_standard', component: '0.00002' },
      { influence: 'cal:r-working', equipmentId: 'working', level: null, component: '-0.000015' },
    ],
  });
  assert.equal(writeSidecar(readSidecar(written, '')), written);
});

it('its component set: u and the components by influence', () => {
  const set = componentSet(readSidecar(raw(), ''));
  assert.is(set.u.toString(), '0.000025');
  assert.equal(
    [...set.components].map(([k, v]) => [k, v.toString()]),
    [
      ['cal:r-national', '0.00002'],
      ['cal:r-working', '-0.000015'],
    ],
  );
});

it('an influence twice is DUPLICATE at the second; a negative uncertainty NEGATIVE_UNCERTAINTY; paths under the path given', () => {
  const twice = raw();
  twice.components[1]!.influence = 'cal:r-national';
  assert.equal(
    refusal(() => toSidecar(twice, '/sidecar')),
    ['DUPLICATE', '/sidecar/components/1/influence'],
  );
  assert.equal(
    refusal(() => toSidecar({ ...raw(), relativeStandardUncertainty: '-0.000001' }, '/sidecar')),
    ['NEGATIVE_UNCERTAINTY', '/sidecar/relativeStandardUncertainty'],
  );
  assert.is(toSidecar({ ...raw(), relativeStandardUncertainty: '0' }, '').relativeStandardUncertainty.toString(), '0');
});

it('the contract: the format, decimals as strings, no unknown field', () => {
  assert.equal(
    refusal(() => readSidecar({ ...raw(), format: 'other/1' }, '/sidecar')),
    ['INVALID_FIELD', '/sidecar/format'],
  );
  assert.equal(refusal(() => readSidecar({ ...raw(), relativeStandardUncertainty: 0.000025 }, '/sidecar'))[0], 'JSON_NUMBER');
  assert.equal(
    refusal(() => readSidecar({ ...raw(), extra: 1 }, '/sidecar')),
    ['UNKNOWN_FIELD', '/sidecar/extra'],
  );
  const { certificateNo: _, ...noNumber } = raw();
  assert.equal(
    refusal(() => readSidecar(noNumber, '/sidecar')),
    ['MISSING_FIELD', '/sidecar/certificateNo'],
  );
});

it.run();
