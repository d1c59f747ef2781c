import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CERTIFICATE_KINDS,
  certificateKindOf,
  HIERARCHY_LEVELS,
  isStandardLevel,
  ORGANISATION_KINDS,
  PERFORMING_KINDS,
  STATUTORY_USAGES,
  USAGES,
} from '../../../src/core/registry/vocabulary.ts';

const it = suite('registry vocabulary');

it('every level above a working instrument can serve as a reference', () => {
  assert.equal(HIERARCHY_LEVELS.filter(isStandardLevel), [
    'national_primary_standard',
    'public_highest_standard',
    'department_highest_standard',
    'enterprise_highest_standard',
    'working_standard',
  ]);
  assert.is(isStandardLevel('working_instrument'), false);
  assert.is(HIERARCHY_LEVELS[0], 'national_primary_standard', 'top-down, from the national primary standard');
  assert.is(HIERARCHY_LEVELS.at(-1), 'working_instrument');
});

it('the document of a record: a certificate for a pass, a result notice for a failed verification', () => {
  assert.is(certificateKindOf('verification', 'pass'), 'verification_certificate');
  assert.is(certificateKindOf('verification', 'fail'), 'result_notice');
  assert.is(certificateKindOf('verification', null), 'verification_certificate');
  assert.is(certificateKindOf('calibration', 'fail'), 'calibration_certificate', 'a calibration states values, never a 检定结果通知书');
  assert.is(certificateKindOf('calibration', 'pass'), 'calibration_certificate');
  assert.is(certificateKindOf('calibration', null), 'calibration_certificate');
  assert.equal([...CERTIFICATE_KINDS].sort(), ['calibration_certificate', 'result_notice', 'verification_certificate']);
});

it('the statutory usages and performing kinds are members of their vocabularies', () => {
  assert.equal([...STATUTORY_USAGES], ['trade_settlement', 'safety_protection', 'medical', 'environmental_monitoring']);
  for (const u of STATUTORY_USAGES) assert.ok(USAGES.includes(u), u);
  assert.not.ok(STATUTORY_USAGES.includes('energy_metering'), 'energy metering is supervised, not named in Art. 9');
  for (const k of PERFORMING_KINDS) assert.ok(ORGANISATION_KINDS.includes(k), k);
  assert.not.ok(PERFORMING_KINDS.includes('regulator'));
});

it.run();
