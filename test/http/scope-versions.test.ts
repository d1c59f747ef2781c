/**
 * Scope and CMC versions (issue #18, item 2) over HTTP: amending a lab's
 * scope or CMC appends a version with an effective date, and a record is
 * checked against the version in force on its performance date — a
 * verification before a narrowing lands, one after it is refused; a
 * withdrawal ends the authority; an extension of validity clears a refusal;
 * an amendment that cannot follow the history is refused with nothing stored;
 * the ledger verifies. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import { MetrologyError } from '../../src/core/errors.ts';
import type { Db } from '../../src/persistence/db.ts';
import { translateDbError } from '../../src/persistence/db-errors.ts';
import { rowCounts, withApp } from '../helpers/app.ts';
import { countOf, testDatabases } from '../helpers/db.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 500)}`);
  return res.json();
}

/** A market scale of 0.04–30 kg (category MV016), which district-station's scope (0–300 kg) covers. */
const SCALE = {
  id: 'scale-stall-88',
  ownerId: 'city-market',
  name: 'Price-computing scale, stall 88',
  quantity: 'mass',
  range: { min: '0.04', max: '30', unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'III' },
  level: 'working_instrument',
  category: 'MV016',
  usage: 'trade_settlement',
};

const verification = (n: number, on: string) => ({
  kind: 'verification',
  subjectId: 'scale-stall-88',
  labId: 'district-station',
  referenceIds: ['district-f1-set'],
  certificateNo: `XH-JD2026-0880${n}`,
  performedOn: on,
  validUntil: '2027-10-19',
  conformity: 'pass',
});

const SCOPE = '/v1/organisations/district-station/scopes/scope-district-mass';

/** What an amendment may leave behind: versions, ledger entries, and the registry's tables. */
async function footprint(db: Db) {
  return {
    ...(await rowCounts(db)),
    lab_scope_versions: await countOf(db, 'select count(*)::int as n from lab_scope_versions'),
    lab_cmc_versions: await countOf(db, 'select count(*)::int as n from lab_cmc_versions'),
    ledger: await countOf(db, 'select count(*)::int as n from ledger'),
  };
}

for (const database of testDatabases()) {
  const it = suite(`scope and CMC versions (#18, item 2) on ${database.name}`);

  it('a verification before a narrowing is accepted and one after it refused; the list reads the version in force on ?at=; out of order is refused with nothing stored; the ledger verifies', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const admin = await keyFor('admin');
      const station = await keyFor('lab', 'district-station');
      await call(app, 'POST', '/v1/equipment', admin, 201, SCALE);

      const narrowed = await call(app, 'POST', `${SCOPE}/amendments`, admin, 201, {
        id: 'narrow-15kg',
        kind: 'amend',
        effectiveFrom: '2026-11-01',
        range: { min: '0', max: '15', unit: 'kg' },
        reason: '复查考核: 授权范围缩小至 15 kg',
      });
      assert.equal(
        [narrowed.scopeId, narrowed.id, narrowed.version, narrowed.kind, narrowed.effectiveFrom],
        ['scope-district-mass', 'narrow-15kg', 2, 'amend', '2026-11-01'],
      );
      assert.equal(
        [narrowed.state.range.max, narrowed.state.category, narrowed.state.validUntil],
        ['15', 'MV016', '2028-02-29'],
        'the fields not given are carried over',
      );

      await call(app, 'POST', '/v1/calibrations', station, 201, verification(1, '2026-10-20'));
      const after = await call(app, 'POST', '/v1/calibrations', station, 400, verification(2, '2026-11-20'));
      assert.is(after.code, 'LAB_NOT_AUTHORISED');
      // an admin writing it is refused by the same rule, at the lab
      const byAdmin = await call(app, 'POST', '/v1/calibrations', admin, 400, verification(2, '2026-11-20'));
      assert.equal([byAdmin.code, byAdmin.path], ['LAB_NOT_AUTHORISED', '/labId']);

      const before = await call(app, 'GET', '/v1/organisations/district-station/scopes?at=2026-10-20', station, 200);
      assert.equal(
        [before.at, before.items.map((s: { id: string; range: { max: string } }) => [s.id, s.range.max])],
        ['2026-10-20', [['scope-district-mass', '300']]],
      );
      const now = await call(app, 'GET', '/v1/organisations/district-station/scopes', station, 200);
      assert.equal(
        [now.at, now.items.map((s: { id: string; range: { max: string } }) => [s.id, s.range.max])],
        ['2026-11-25', [['scope-district-mass', '15']]],
        'default: today',
      );
      const versions = await call(app, 'GET', `${SCOPE}/versions`, station, 200);
      assert.equal(
        versions.items.map((v: { version: number; kind: string; effectiveFrom: string }) => [v.version, v.kind, v.effectiveFrom]),
        [
          [1, 'original', '2022-03-01'],
          [2, 'amend', '2026-11-01'],
        ],
      );

      // not after the version before it, or before the scope itself: refused, nothing stored
      const stored = await footprint(db);
      const late = await call(app, 'POST', `${SCOPE}/amendments`, admin, 409, { kind: 'amend', effectiveFrom: '2026-11-01', validUntil: '2029-02-28' });
      assert.equal([late.code, late.path], ['AMENDMENT_OUT_OF_ORDER', '/effectiveFrom']);
      const early = await call(app, 'POST', `${SCOPE}/amendments`, admin, 409, { kind: 'withdraw', effectiveFrom: '2022-01-01' });
      assert.equal([early.code, early.path], ['AMENDMENT_OUT_OF_ORDER', '/effectiveFrom']);
      const nothing = await call(app, 'POST', `${SCOPE}/amendments`, admin, 400, {
        kind: 'amend',
        effectiveFrom: '2026-11-10',
        range: { min: '0', max: '15', unit: 'kg' },
      });
      assert.is(nothing.code, 'INVALID_FIELD', 'an amendment that changes nothing');
      const unknown = await call(app, 'POST', '/v1/organisations/city-institute/scopes/scope-district-mass/amendments', admin, 404, {
        kind: 'withdraw',
        effectiveFrom: '2026-11-10',
      });
      assert.is(unknown.code, 'NOT_FOUND', "another lab's scope is not found under this one");
      // only who may create scopes may amend them
      const forbidden = await call(app, 'POST', `${SCOPE}/amendments`, station, 403, { kind: 'amend', effectiveFrom: '2026-11-10', validUntil: '2030-12-31' });
      assert.is(forbidden.code, 'FORBIDDEN');
      assert.equal(await footprint(db), stored);

      const ledger = await call(app, 'GET', '/v1/ledger/verify', admin, 200);
      assert.equal([ledger.valid, ledger.broken, ledger.unledgered.count], [true, null, 0], JSON.stringify(ledger));
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'scope_amendment' and entity_id = 'narrow-15kg'"), 1);
      // append-only in the database itself
      for (const statement of [
        sql`update lab_scope_versions set valid_until = '2099-12-31'`,
        sql`delete from lab_scope_versions`,
        sql`truncate lab_cmc_versions`,
      ]) {
        const refused = await db
          .transaction(async (sp) => void (await sp.execute(statement)))
          .then(
            () => undefined,
            (e: unknown) => translateDbError(e),
          );
        assert.instance(refused, MetrologyError);
        assert.is((refused as MetrologyError).code, 'APPEND_ONLY');
      }
    }));

  it('a withdrawal ends the authority from its date, and nothing follows it; an extension of validity clears a refusal', () =>
    withApp(database, async ({ app, keyFor }) => {
      const admin = await keyFor('admin');
      const station = await keyFor('lab', 'district-station');
      await call(app, 'POST', '/v1/equipment', admin, 201, SCALE);

      // the validity cut short to 2026-10-31 (from 2026-10-01), then renewed to 2028 from 2026-11-15
      await call(app, 'POST', `${SCOPE}/amendments`, admin, 201, { kind: 'amend', effectiveFrom: '2026-10-01', validUntil: '2026-10-31' });
      const lapsed = await call(app, 'POST', '/v1/calibrations', station, 400, verification(3, '2026-11-05'));
      assert.is(lapsed.code, 'LAB_NOT_AUTHORISED');
      await call(app, 'POST', `${SCOPE}/amendments`, admin, 201, {
        kind: 'amend',
        effectiveFrom: '2026-11-15',
        validUntil: '2028-02-29',
        authorisationNo: '(沪)法计(2026)01016号',
        issuedBy: 'city-samr',
      });
      await call(app, 'POST', '/v1/calibrations', station, 201, verification(4, '2026-11-16'));
      const gap = await call(app, 'POST', '/v1/calibrations', station, 400, verification(3, '2026-11-05'));
      assert.is(gap.code, 'LAB_NOT_AUTHORISED', 'the days between the lapse and the renewal stay without authority');

      const withdrawn = await call(app, 'POST', `${SCOPE}/amendments`, admin, 201, { kind: 'withdraw', effectiveFrom: '2026-11-18', reason: '授权被撤销' });
      assert.equal([withdrawn.version, withdrawn.kind, withdrawn.state], [4, 'withdraw', null]);
      await call(app, 'POST', '/v1/calibrations', station, 201, verification(5, '2026-11-17'));
      const afterWithdrawal = await call(app, 'POST', '/v1/calibrations', station, 400, verification(6, '2026-11-20'));
      assert.is(afterWithdrawal.code, 'LAB_NOT_AUTHORISED');
      assert.equal((await call(app, 'GET', '/v1/organisations/district-station/scopes', station, 200)).items, []);
      assert.equal(
        (await call(app, 'GET', '/v1/organisations/district-station/scopes?at=2026-11-17', station, 200)).items.map(
          (s: { authorisationNo: string; issuedBy: string }) => [s.authorisationNo, s.issuedBy],
        ),
        [['(沪)法计(2026)01016号', 'city-samr']],
      );
      const again = await call(app, 'POST', `${SCOPE}/amendments`, admin, 409, { kind: 'amend', effectiveFrom: '2026-11-22', validUntil: '2030-12-31' });
      assert.equal([again.code, again.path], ['INVALID_TRANSITION', '/kind']);

      const ledger = await call(app, 'GET', '/v1/ledger/verify', admin, 200);
      assert.equal([ledger.valid, ledger.broken, ledger.unledgered.count], [true, null, 0], JSON.stringify(ledger));
    }));

  it('the authorisation number and issuing regulator: optional on a scope, the issuer a registered regulator; a CMC amended is read on the performance date', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const admin = await keyFor('admin');
      const scope = {
        quantity: 'mass',
        category: 'MV016',
        range: { min: '0', max: '60', unit: 'kg' },
        mandatoryVerification: true,
        validFrom: '2026-01-01',
        validUntil: '2031-12-31',
      };
      const created = await call(app, 'POST', '/v1/organisations/city-institute/scopes', admin, 201, {
        ...scope,
        id: 'scope-city-60',
        authorisationNo: '(国)法计(2026)01001号',
        issuedBy: 'city-samr',
      });
      assert.equal([created.authorisationNo, created.issuedBy], ['(国)法计(2026)01001号', 'city-samr']);
      const plain = await call(app, 'POST', '/v1/organisations/city-institute/scopes', admin, 201, scope);
      assert.equal([plain.authorisationNo, plain.issuedBy], [null, null]);
      const stored = await footprint(db);
      const notRegulator = await call(app, 'POST', '/v1/organisations/city-institute/scopes', admin, 400, { ...scope, issuedBy: 'city-market' });
      assert.equal([notRegulator.code, notRegulator.path], ['WRONG_ORGANISATION_KIND', '/issuedBy']);
      const nobody = await call(app, 'POST', '/v1/organisations/city-institute/scopes/scope-city-60/amendments', admin, 400, {
        kind: 'amend',
        effectiveFrom: '2026-06-01',
        issuedBy: 'no-such-regulator',
      });
      assert.equal([nobody.code, nobody.path], ['UNKNOWN_REFERENCE', '/issuedBy']);
      const mixed = await call(app, 'POST', '/v1/organisations/city-institute/scopes/scope-city-60/amendments', admin, 400, {
        kind: 'amend',
        effectiveFrom: '2026-06-01',
        authorisationNo: 'SH-(2026)\u041e1001',
      });
      assert.is(mixed.code, 'CONFUSABLE_IDENTIFIER', 'a Cyrillic О among Latin letters');
      assert.equal(await footprint(db), stored);

      // city-institute's CMC for mass 0.01–2 kg at U = 0.000050 kg (k = 2), improved to 0.000030 kg from 2026-01-15
      await call(app, 'POST', '/v1/organisations/city-institute/cmcs', admin, 201, {
        id: 'cmc-city-mass',
        quantity: 'mass',
        range: { min: '0.01', max: '2', unit: 'kg' },
        expandedUncertainty: '0.000050',
        coverageFactor: '2',
        validFrom: '2021-06-01',
        validUntil: '2027-05-31',
      });
      const amended = await call(app, 'POST', '/v1/organisations/city-institute/cmcs/cmc-city-mass/amendments', admin, 201, {
        kind: 'amend',
        effectiveFrom: '2026-01-15',
        expandedUncertainty: '0.000030',
      });
      assert.equal(
        [amended.cmcId, amended.version, amended.state.expandedUncertainty, amended.state.validUntil],
        ['cmc-city-mass', 2, '0.000030', '2027-05-31'],
      );
      const record = (on: string, cert: string) => ({
        kind: 'calibration',
        subjectId: 'lab-balance-07',
        labId: 'city-institute',
        referenceIds: ['city-e1-set'],
        certificateNo: cert,
        performedOn: on,
        validUntil: '2027-01-09',
        points: [{ nominal: '1', asFound: '1.0002', expandedUncertainty: '0.000040', coverageFactor: '2', unit: 'kg' }],
      });
      const old = await call(app, 'POST', '/v1/calibrations', admin, 400, record('2026-01-10', 'SIMT-ZL2026-0901'));
      assert.equal([old.code, old.path], ['CMC_VIOLATION', '/points/0/expandedUncertainty'], 'before the amendment the CMC was 0.000050');
      await call(app, 'POST', '/v1/calibrations', admin, 201, record('2026-01-20', 'SIMT-ZL2026-0902'));
      const cmcs = await call(app, 'GET', '/v1/organisations/city-institute/cmcs?at=2026-01-10', admin, 200);
      assert.equal(
        cmcs.items.filter((c: { id: string }) => c.id === 'cmc-city-mass').map((c: { expandedUncertainty: string }) => c.expandedUncertainty),
        ['0.000050'],
      );
      const versions = await call(app, 'GET', '/v1/organisations/city-institute/cmcs/cmc-city-mass/versions', admin, 200);
      assert.equal(
        versions.items.map((v: { version: number; effectiveFrom: string }) => [v.version, v.effectiveFrom]),
        [
          [1, '2021-06-01'],
          [2, '2026-01-15'],
        ],
      );
      const late = await call(app, 'POST', '/v1/organisations/city-institute/cmcs/cmc-city-mass/amendments', admin, 409, {
        kind: 'withdraw',
        effectiveFrom: '2026-01-15',
      });
      assert.is(late.code, 'AMENDMENT_OUT_OF_ORDER');
      await call(app, 'POST', '/v1/organisations/city-institute/cmcs/cmc-city-mass/amendments', admin, 201, { kind: 'withdraw', effectiveFrom: '2026-02-01' });
      assert.equal(
        (await call(app, 'GET', '/v1/organisations/city-institute/cmcs', admin, 200)).items.filter((c: { id: string }) => c.id === 'cmc-city-mass'),
        [],
      );

      const ledger = await call(app, 'GET', '/v1/ledger/verify', admin, 200);
      assert.equal([ledger.valid, ledger.broken, ledger.unledgered.count], [true, null, 0], JSON.stringify(ledger));
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'cmc_amendment'"), 2);
    }));

  it.run();
}
