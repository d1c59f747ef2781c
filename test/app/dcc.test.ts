/**
 * Digital Calibration Certificates (app/dcc.ts) over the demo: a calibration
 * exported as a DCC and imported back as a record with the same points and
 * references; verifications get none; an owner's filing counts for nothing
 * until the issuing lab confirms it (then it is a record) or rejects it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ImportRequest } from '../../src/codecs/dcc-request.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { Services } from '../../src/main/services.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';

/** The DCC of lab-balance-07's 2025 calibration, renumbered so that it can be recorded again. */
async function renumbered(s: Services, certificateNo = 'SIMT-ZL2025-0707-B'): Promise<string> {
  const xml = await s.dcc.exportDcc('rec-balance07-2025');
  assert.ok(xml.includes('<dcc:uniqueIdentifier>SIMT-ZL2025-0707</dcc:uniqueIdentifier>'));
  return xml.replaceAll('SIMT-ZL2025-0707', certificateNo);
}

const request = (xml: string, over: Partial<ImportRequest> = {}): ImportRequest => ({
  xml,
  sidecar: null,
  subjectId: 'lab-balance-07',
  labId: 'city-institute',
  validUntil: null,
  id: null,
  ...over,
});

const STEEL = { keyId: 'k-steel', organisationId: 'steel-works' };

for (const database of testDatabases()) {
  const it = suite(`app/dcc on ${database.name}`);

  it('a calibration exported as a DCC imports back as the same calibration: points, date, procedure, references', () =>
    withDemoServices(database, async (s) => {
      const original = (await s.registry.getRecord('rec-balance07-2025')).record;
      const { record, unmapped } = await s.dcc.importDcc(request(await renumbered(s), { id: 'rec-imported', validUntil: '2026-01-14' as CalendarDate }));
      const r = record.record;
      assert.equal(
        [r.id, r.kind, r.certificateNo, r.performedOn, r.validUntil, r.procedure, r.referenceIds],
        ['rec-imported', 'calibration', 'SIMT-ZL2025-0707-B', '2025-01-14', '2026-01-14', 'JJF 1847-2020', ['city-e1-set']],
      );
      assert.equal(r.points, original.points);
      assert.equal(unmapped, []);
      assert.is((await s.registry.getRecord('rec-imported')).record.certificateNo, 'SIMT-ZL2025-0707-B');
    }));

  it('no DCC for a verification; an import is checked as any record and may be refused by the caller’s admit', () =>
    withDemoServices(database, async (s) => {
      await rejects(s.dcc.exportDcc('rec-stall17-2026'), 'NOT_APPLICABLE', '');
      await rejects(s.dcc.exportDcc('nope'), 'NOT_FOUND');
      // the original number is taken
      await rejects(s.dcc.importDcc(request(await s.dcc.exportDcc('rec-balance07-2025'))), 'DUPLICATE', '/certificateNo');
      const xml = await renumbered(s);
      let admitted: unknown;
      await rejects(
        s.dcc.importDcc(request(xml), async (draft) => {
          admitted = draft;
          throw new (await import('../../src/core/errors.ts')).MetrologyError('FORBIDDEN', '/labId', 'not yours');
        }),
        'FORBIDDEN',
        '/labId',
      );
      assert.equal(
        [(admitted as { labId: string }).labId, (admitted as { subjectId: string }).subjectId, (admitted as { performedOn: string }).performedOn],
        ['city-institute', 'lab-balance-07', '2025-01-14'],
      );
      await rejects(s.dcc.getFiled('nope'), 'NOT_FOUND', '');
    }));

  it('an owner files a DCC: pending, counting for nothing until confirmed into a record', () =>
    withDemoServices(database, async (s) => {
      const xml = await renumbered(s);
      const filed = await s.dcc.fileDcc(request(xml), STEEL);
      assert.equal(
        [filed.subjectId, filed.labId, filed.certificateNo, filed.performedOn, filed.filedBy, filed.decision],
        ['lab-balance-07', 'city-institute', 'SIMT-ZL2025-0707-B', '2025-01-14', 'steel-works', null],
      );
      await rejects(s.dcc.fileDcc(request(xml), STEEL), 'DUPLICATE', '/xml');
      assert.equal(
        (await s.dcc.listFiled({ subjectId: 'lab-balance-07' }, { limit: 10, after: null })).items.map((f) => f.id),
        [filed.id],
      );
      // another lab may not decide it
      await rejects(s.dcc.confirmFiled(keyCaller('lab', 'acme-cal'), filed.id), 'FORBIDDEN');
      // the lab named is held to its own scope on the day, as for its own records: lab-balance-07 is outside it, so the filing stays pending
      await rejects(s.dcc.confirmFiled(keyCaller('lab', 'city-institute'), filed.id), 'LAB_NOT_AUTHORISED', '/subjectId');
      assert.is((await s.dcc.getFiled(filed.id)).decision, null);
      const { filed: confirmed, record } = await s.dcc.confirmFiled(keyCaller('admin', null), filed.id);
      assert.equal([confirmed.decision?.decision, (confirmed.decision as { recordId?: string }).recordId], ['confirmed', record.record.id]);
      assert.is(record.record.certificateNo, 'SIMT-ZL2025-0707-B');
      // now recorded, it cannot be filed again
      await rejects(s.dcc.fileDcc(request(xml), STEEL), 'DUPLICATE', '/xml');
    }));

  it('a filing is refused for another owner’s equipment, an unknown lab or a future date; the lab may reject it', () =>
    withDemoServices(database, async (s) => {
      const xml = await renumbered(s);
      await rejects(s.dcc.fileDcc(request(xml), { keyId: 'k', organisationId: 'city-market' }), 'FORBIDDEN', '/subjectId');
      await rejects(s.dcc.fileDcc(request(xml, { labId: 'no-such-lab' }), STEEL), 'UNKNOWN_REFERENCE', '/labId');
      await rejects(s.dcc.fileDcc(request(xml.replaceAll('2025-01-14', '2026-12-01')), STEEL), 'DATE_IN_FUTURE', '/xml');
      const filed = await s.dcc.fileDcc(request(xml), STEEL);
      const rejected = await s.dcc.rejectFiled(keyCaller('admin', null), filed.id, 'not our certificate');
      assert.equal([rejected.decision?.decision, (rejected.decision as { reason?: string }).reason], ['rejected', 'not our certificate']);
      await rejects(s.dcc.confirmFiled(keyCaller('lab', 'city-institute'), filed.id), 'ALREADY_DECIDED');
    }));

  it.run();
}
