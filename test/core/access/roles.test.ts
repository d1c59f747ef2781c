/** Who may do what: the route decision for every caller, the organisations a key may be bound to, writes confined to one's own, read scopes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type Access,
  type Caller,
  checkRoleFits,
  decide,
  describeScope,
  isRole,
  ROLES,
  readScopeOf,
  requireOwnOrganisation,
  type Role,
  withArticle,
} from '../../../src/core/access/roles.ts';
import { MetrologyError } from '../../../src/core/errors.ts';

const key = (role: Role, organisationId: string | null = role === 'admin' ? null : `${role}-org`) =>
  ({ kind: 'key', keyId: 'k', role, organisationId }) as const;
const PUBLIC: Caller = { kind: 'public' };
const refused = (f: () => void, code: string) => {
  try {
    f();
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.is((e as MetrologyError).code, code);
    return (e as MetrologyError).message;
  }
  assert.unreachable(`expected ${code}`);
  return '';
};

test('the route decision: public routes admit all, others a key, role lists their roles and always an admin', () => {
  const routes: Access[] = ['public', 'authenticated', ['lab'], ['inspector', 'auditor']];
  const table = [PUBLIC, ...ROLES.map((r) => key(r))].map((c) => routes.map((a) => decide(a, c)));
  assert.equal(table, [
    ['allowed', 'unauthenticated', 'unauthenticated', 'unauthenticated'], // public
    ['allowed', 'allowed', 'allowed', 'allowed'], // admin
    ['allowed', 'allowed', 'allowed', 'forbidden'], // lab
    ['allowed', 'allowed', 'forbidden', 'forbidden'], // owner
    ['allowed', 'allowed', 'forbidden', 'allowed'], // inspector
    ['allowed', 'allowed', 'forbidden', 'allowed'], // auditor
  ]);
});

test("a key's role must fit its organisation's kind, and the refusal says which kinds would", () => {
  checkRoleFits('lab', 'nim', 'legal_metrology_institute');
  checkRoleFits('owner', 'plant', 'energy_using_unit');
  checkRoleFits('auditor', 'samr', 'regulator');
  const message = refused(() => checkRoleFits('inspector', 'acme', 'enterprise'), 'WRONG_ORGANISATION_KIND');
  assert.is(message, "an inspector key is for a regulator; 'acme' is an enterprise");
  assert.match(
    refused(() => checkRoleFits('lab', 'samr', 'regulator'), 'WRONG_ORGANISATION_KIND'),
    /a legal metrology institute or a calibration lab/,
  );
});

test("writes are confined to the caller's own organisation; an admin acts for anyone", () => {
  requireOwnOrganisation(key('admin'), 'anyone', '/ownerId', 'register equipment');
  requireOwnOrganisation(key('owner', 'acme'), 'acme', '/ownerId', 'register equipment');
  const message = refused(() => requireOwnOrganisation(key('owner', 'acme'), 'other', '/ownerId', 'register equipment'), 'FORBIDDEN');
  assert.is(message, "an owner key of 'acme' may not register equipment for 'other'; use a key bound to that organisation");
  assert.match(
    refused(() => requireOwnOrganisation(PUBLIC, 'acme', '/labId', 'append records'), 'FORBIDDEN'),
    /^the public may not/,
  );
});

test('read scopes by role, an inspector or auditor needing a region', () => {
  assert.equal(readScopeOf(key('admin'), null), { kind: 'all' });
  assert.equal(readScopeOf(key('owner', 'acme'), null), { kind: 'organisation', organisationId: 'acme' });
  assert.equal(readScopeOf(key('lab', 'nim'), null), { kind: 'lab', organisationId: 'nim' });
  const region = readScopeOf(key('auditor', 'samr-sh'), '31');
  assert.equal(region, { kind: 'region', regulatorId: 'samr-sh', regionPrefix: '31' });
  assert.is(describeScope(region), "what is owned in the region of 'samr-sh' (31…)");
  refused(() => readScopeOf(key('inspector', 'samr'), null), 'FORBIDDEN');
});

test('words: roles recognised, articles chosen by the first letter', () => {
  assert.equal(['admin', 'Admin', 'visitor', ''].map(isRole), [true, false, false, false]);
  assert.equal(['inspector', 'lab', 'enterprise', 'owner', 'regulator'].map(withArticle), [
    'an inspector',
    'a lab',
    'an enterprise',
    'an owner',
    'a regulator',
  ]);
});

test.run();
