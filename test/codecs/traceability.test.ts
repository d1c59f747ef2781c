/** A traceability result on the wire: the chain as a tree with records and findings, the impact of a standard grouped by owner and as CSV, tolerance findings read. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { impactCsv, readToleranceFinding, writeImpact, writeLink, writeToleranceFinding, writeTrace } from '../../src/codecs/traceability.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { MetrologyError } from '../../src/core/errors.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../../src/core/registry/types.ts';
import type { Finding } from '../../src/core/traceability/chain.ts';
import type { Dependent } from '../../src/core/traceability/impact.ts';
import { chainLink } from '../helpers/chains.ts';

const at = '2026-06-01' as CalendarDate;
const record = {
  id: 'r-s',
  kind: 'verification',
  certificateNo: 'C-s',
  performedOn: '2026-03-01',
  validUntil: null,
  conformity: 'pass',
  labId: 'lab',
} as unknown as CalibrationRecord;
const finding: Finding = { code: 'CERTIFICATE_EXPIRED', equipmentId: 'w', recordId: 'r-w', date: '2026-05-01', message: 'expired' } as unknown as Finding;

const chain = suite('chain on the wire');

chain('a link: the equipment facts, its record with the lab name, its references nested', () => {
  const national = chainLink({
    equipmentId: 'n',
    realisation: 'Kibble balance',
    equipment: { name: 'Kilogram', level: 'national_primary_standard', quantity: 'mass' } as Equipment,
  });
  const w = writeLink(
    chainLink({
      equipmentId: 's',
      equipment: { name: 'Scale', level: 'working_instrument', quantity: 'mass' } as Equipment,
      record,
      lab: { name: 'District Station' } as Organisation,
      references: [chainLink({ equipmentId: 'w', findings: [finding], references: [national] })],
    }),
  );
  assert.equal(w.record, {
    id: 'r-s',
    kind: 'verification',
    certificateNo: 'C-s',
    performedOn: '2026-03-01',
    validUntil: null,
    conformity: 'pass',
    labId: 'lab',
    labName: 'District Station',
  });
  assert.equal([w.equipmentId, w.name, w.level, w.quantity, w.at, w.realisation], ['s', 'Scale', 'working_instrument', 'mass', '2026-06-01', null]);
  const ref = w.references[0]!;
  assert.equal([ref.name, ref.level, ref.quantity, ref.record], [null, null, null, null]);
  assert.equal(ref.findings, [{ code: 'CERTIFICATE_EXPIRED', equipmentId: 'w', recordId: 'r-w', date: '2026-05-01', message: 'expired' }]);
  assert.equal([ref.references[0]!.equipmentId, ref.references[0]!.realisation], ['n', 'Kibble balance']);
  assert.is(writeLink(chainLink({ record, lab: null })).record!.labName, null);
});

chain('a trace: traceable, every finding and note, the chain', () => {
  const t = writeTrace({
    equipmentId: 's',
    at,
    traceable: false,
    findings: [finding],
    notes: [{ ...finding, code: 'OUTSIDE_REGISTRY' } as never],
    chain: chainLink({ equipmentId: 's' }),
  });
  assert.equal(
    [t.equipmentId, t.at, t.traceable, t.findings.length, t.notes[0]!.code, t.chain.equipmentId],
    ['s', '2026-06-01', false, 1, 'OUTSIDE_REGISTRY', 's'],
  );
});

const impact = suite('impact');

const dependent = (id: string, ownerId: string, ownerName: string | null, mandatory: boolean): Dependent => ({
  equipment: { id, name: `Scale ${id}`, ownerId, level: 'working_instrument', usage: 'trade_settlement', category: 'MV016' } as Equipment,
  owner: ownerName === null ? null : ({ name: ownerName } as Organisation),
  record: { id: `r-${id}`, certificateNo: `C-${id}`, performedOn: '2026-04-01' } as CalibrationRecord,
  path: ['std', 'w', id],
  mandatory,
});
const list = [dependent('s1', 'market', 'City Market', true), dependent('s2', 'shop', null, false), dependent('s3', 'market', 'City Market', false)];

impact('counts, every dependent, and groups by owner in order of first appearance', () => {
  const w = writeImpact('std', '2026-01-01', list);
  assert.equal([w.standardId, w.since, w.count, w.mandatoryCount], ['std', '2026-01-01', 3, 1]);
  assert.equal(w.dependents[0], {
    equipmentId: 's1',
    name: 'Scale s1',
    ownerId: 'market',
    ownerName: 'City Market',
    level: 'working_instrument',
    usage: 'trade_settlement',
    category: 'MV016',
    mandatory: true,
    recordId: 'r-s1',
    certificateNo: 'C-s1',
    performedOn: '2026-04-01',
    path: ['std', 'w', 's1'],
  });
  assert.equal(w.byOwner, [
    { ownerId: 'market', ownerName: 'City Market', count: 2, equipmentIds: ['s1', 's3'] },
    { ownerId: 'shop', ownerName: null, count: 1, equipmentIds: ['s2'] },
  ]);
  assert.equal(writeImpact('std', '2026-01-01', []), { standardId: 'std', since: '2026-01-01', count: 0, mandatoryCount: 0, dependents: [], byOwner: [] });
});

impact('the CSV: one row per dependent, the path joined, Chinese headers on request', () => {
  const lines = impactCsv(list).split('\r\n');
  assert.is(lines[0], 'equipment_id,name,owner_id,owner_name,level,usage,category,mandatory,record_id,certificate_no,performed_on,path');
  assert.is(lines[1], 's1,Scale s1,market,City Market,working_instrument,trade_settlement,MV016,true,r-s1,C-s1,2026-04-01,std > w > s1');
  assert.is(lines[2], 's2,Scale s2,shop,,working_instrument,trade_settlement,MV016,false,r-s2,C-s2,2026-04-01,std > w > s2');
  const zh = impactCsv(list, { lang: 'zh', bom: true });
  assert.ok(zh.startsWith('\uFEFF器具ID,名称,使用单位编号,使用单位,层级,使用领域,强检目录类别,强制检定,记录编号,证书编号,检定/校准日期,溯源路径\r\n'));
});

const tolerance = suite('tolerance findings');

tolerance('read with its id drawn or given; the last good day on or before the finding', () => {
  const f = readToleranceFinding({ foundOn: '2026-05-10', lastKnownGood: '2026-05-10' }, 'w', () => 'tf-1');
  assert.equal(writeToleranceFinding(f), { id: 'tf-1', equipmentId: 'w', foundOn: '2026-05-10', lastKnownGood: '2026-05-10', remarks: null });
  assert.equal(readToleranceFinding({ id: 'tf-9', foundOn: '2026-05-10', lastKnownGood: '2026-01-31', remarks: 'drift' }, 'w', () => 'x').remarks, 'drift');
  const refused = (raw: unknown) => {
    try {
      readToleranceFinding(raw, 'w', () => 'x');
    } catch (e) {
      return [(e as MetrologyError).code, (e as MetrologyError).path];
    }
    return 'accepted';
  };
  assert.equal(refused({ foundOn: '2026-05-10', lastKnownGood: '2026-05-11' }), ['INVALID_RANGE', '/lastKnownGood']);
  assert.equal(refused({ foundOn: '2026-02-30', lastKnownGood: '2026-01-01' }), ['INVALID_DATE', '/foundOn']);
  assert.equal(refused({ foundOn: '2026-05-10' }), ['MISSING_FIELD', '/lastKnownGood']);
});

chain.run();
impact.run();
tolerance.run();
