/**
 * The printed documents of a record (app/documents.ts) over the demo: the
 * certificate view (instrument, lab, customer, the standards used with the
 * certificate in force on the day) and the label, refused for a failed
 * verification and for a corrected record.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DocumentService } from '../../src/app/documents.ts';
import type { Services } from '../../src/main/services.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';

const documents = (s: Services) => new DocumentService({ registry: s.registry, traceability: s.traceability });

for (const database of testDatabases()) {
  const it = suite(`app/documents on ${database.name}`);

  it('the certificate of a passed verification: its instrument, lab, customer (the owner), and the standard with the certificate in force that day', () =>
    withDemoServices(database, async (s) => {
      const view = await documents(s).certificate('rec-stall17-2026');
      assert.equal(
        [view.recordId, view.certificateNo, view.recordKind, view.conformity, view.certificateKind, view.performedOn, view.validUntil],
        ['rec-stall17-2026', 'XH-JD2026-00317', 'verification', 'pass', 'verification_certificate', '2026-03-12', '2027-03-11'],
      );
      assert.equal(view.lab, { name: 'Xuhui District Metrology Verification Station (demo)', accreditation: '法定计量检定机构 (量认) 2022-117' });
      assert.is(view.customer, 'Longhua Wet Market Management Co. (demo)');
      assert.equal(
        [view.instrument.name, view.instrument.serialNumber, view.instrument.model],
        ['Electronic price-computing scale, stall 17', 'TS-30-88172', 'TCS-30'],
      );
      assert.equal(
        [view.verificationType, view.procedure, view.verifier, view.checker, view.approver, view.labelNo, view.sealNo],
        ['after_repair', 'JJG 539-2016', '陈静', '刘洋', '周建国', 'XH-HG2026-00317', 'XH-FY2026-0317'],
      );
      assert.is(view.standards.length, 1);
      const [f1] = view.standards;
      assert.equal([f1!.id, f1!.name], ['district-f1-set', 'F1 weight set 1 g – 20 kg (working standard)']);
      // on 2026-03-12 the F1 set's certificate in force was the 2025 one (SIMT-JD2025-1107, to 2026-11-02), not the 2026 one (from 2026-10-29)
      assert.equal(f1!.certificate, { certificateNo: 'SIMT-JD2025-1107', validUntil: '2026-11-02' });
      assert.equal(f1!.assessment, { certificateNo: '[2021]沪徐量标证字第0014号', validUntil: '2026-11-24' });
      assert.equal([view.supersedes, view.supersededBy], [null, null]);
    }));

  it('a failed verification prints as a result notice with no validity; a record names the customer it states', () =>
    withDemoServices(database, async (s) => {
      const failed = await documents(s).certificate('rec-stall17-2025-fail');
      assert.equal([failed.certificateKind, failed.validUntil, failed.conformity], ['result_notice', null, 'fail']);
      // even a failed verification stored with a validity prints none
      const stored = await s.registry.getRecord('rec-stall17-2025-fail');
      const withValidity = { ...stored, record: { ...stored.record, validUntil: '2026-03-09' } };
      const registry = Object.assign(Object.create(s.registry), { getRecord: async () => withValidity });
      const notice = await new DocumentService({ registry, traceability: s.traceability }).certificate('rec-stall17-2025-fail');
      assert.equal([notice.certificateKind, notice.validUntil], ['result_notice', null]);
      const stall42 = await documents(s).certificate('rec-stall42-2025');
      assert.is(stall42.customer, 'Longhua Wet Market stall 42 (the stall-holder, demo)');
      const corrected = await documents(s).certificate('rec-steel-2026');
      assert.is(corrected.supersededBy, 'rec-steel-2026-corr');
      assert.is((await documents(s).certificate('rec-steel-2026-corr')).supersedes, 'rec-steel-2026');
    }));

  it('the label: certificate, validity, lab and the lookup URL of the certificate number at the origin', () =>
    withDemoServices(database, async (s) => {
      const label = await documents(s).label('rec-stall17-2026', 'https://metrology.example/');
      assert.equal(label, {
        recordKind: 'verification',
        certificateNo: 'XH-JD2026-00317',
        performedOn: '2026-03-12',
        validUntil: '2027-03-11',
        lab: 'Xuhui District Metrology Verification Station (demo)',
        labelNo: 'XH-HG2026-00317',
        lookupUrl: 'https://metrology.example/lookup?q=XH-JD2026-00317',
      });
    }));

  it('no label for a failed verification or a corrected record (LABEL_NOT_ISSUED); an unknown record is NOT_FOUND', () =>
    withDemoServices(database, async (s) => {
      const failed = await rejects(documents(s).label('rec-stall17-2025-fail', 'https://x'), 'LABEL_NOT_ISSUED', ':id');
      assert.match(failed.message, 'failed verification');
      const corrected = await rejects(documents(s).label('rec-steel-2026', 'https://x'), 'LABEL_NOT_ISSUED', ':id');
      assert.match(corrected.message, "corrected by record 'rec-steel-2026-corr'");
      await documents(s).label('rec-steel-2026-corr', 'https://x');
      await rejects(documents(s).label('no-such-record', 'https://x'), 'NOT_FOUND');
      await rejects(documents(s).certificate('no-such-record'), 'NOT_FOUND');
    }));

  it.run();
}
