/** Mandatory verification on the wire: policies, capacities and plan requests read; statuses, due lists (JSON pages and CSV), plans and interval advice written. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCursor } from '../../src/codecs/cursor.ts';
import {
  type DueItem,
  dueCsv,
  readCapacity,
  readPlanRequest,
  readPolicy,
  writeCapacity,
  writeDue,
  writeInterval,
  writePlan,
  writePolicy,
  writeStatus,
} from '../../src/codecs/verification.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import type { CalibrationRecord, Equipment } from '../../src/core/registry/types.ts';
import type { Plan } from '../../src/core/verification/planning.ts';
import type { VerificationStatus } from '../../src/core/verification/status.ts';
import { refusal } from '../helpers/refusal.ts';

const newId = () => 'drawn';

const reading = suite('policies, capacities, plan requests');

reading('a policy: at least one of its settings, the rest null, dates real', () => {
  const p = readPolicy({ regulatorId: 'samr-sh', category: 'MV016', graceDays: 0, validFrom: '2026-01-01', validUntil: '2026-12-31' }, newId);
  assert.equal(p, {
    id: 'drawn',
    regulatorId: 'samr-sh',
    category: 'MV016',
    intervalMonths: null,
    serviceLifeMonths: null,
    graceDays: 0,
    dueSoonDays: null,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    remarks: null,
  });
  assert.equal(writePolicy({ ...p, regionCode: '310000' }).regionCode, '310000');
  assert.equal(
    refusal(() => readPolicy({ regulatorId: 'r', category: 'MV016', validFrom: '2026-01-01', validUntil: '2026-12-31' }, newId)),
    ['MISSING_FIELD', ''],
  );
  assert.equal(
    refusal(() => readPolicy({ regulatorId: 'r', category: 'MV016', intervalMonths: 6, validFrom: '2026-02-29', validUntil: '2026-12-31' }, newId)),
    ['INVALID_DATE', '/validFrom'],
  );
  assert.equal(
    refusal(() => readPolicy({ regulatorId: 'r', category: 'MV016', intervalMonths: 0, validFrom: '2026-01-01', validUntil: '2026-12-31' }, newId))[1],
    '/intervalMonths',
  );
});

reading('a capacity: its period in order (one day is fine)', () => {
  const c = readCapacity({ id: 'cap-1', labId: 'lab', category: 'MV016', monthly: 40, validFrom: '2026-01-01', validUntil: '2026-01-01' }, newId);
  assert.equal(writeCapacity(c), { id: 'cap-1', labId: 'lab', category: 'MV016', monthly: 40, validFrom: '2026-01-01', validUntil: '2026-01-01' });
  assert.equal(
    refusal(() => readCapacity({ labId: 'lab', category: 'MV016', monthly: 40, validFrom: '2026-01-02', validUntil: '2026-01-01' }, newId)),
    ['INVALID_RANGE', '/validUntil'],
  );
});

reading('a plan request: the start real, region and category optional', () => {
  assert.equal(readPlanRequest({ from: '2026-12-01', months: 6 }, newId), { id: 'drawn', from: '2026-12-01', months: 6, regionCode: null, category: null });
  assert.equal(readPlanRequest({ id: 'p', from: '2026-12-01', months: 6, regionCode: '310104', category: 'MV016' }, newId).regionCode, '310104');
  assert.equal(
    refusal(() => readPlanRequest({ from: '2026-12-32', months: 6 }, newId)),
    ['INVALID_DATE', '/from'],
  );
});

const record = {
  id: 'r-1',
  kind: 'verification',
  certificateNo: 'XH-1',
  performedOn: '2026-01-10',
  validUntil: '2027-01-09',
  conformity: 'pass',
  labId: 'lab',
} as unknown as CalibrationRecord;
const status = (equipmentId: string, state: VerificationStatus['state'], over: Partial<VerificationStatus> = {}): VerificationStatus =>
  ({
    equipmentId,
    at: '2026-11-25' as CalendarDate,
    state,
    classification: { mandatory: true, reason: 'MV016 trade settlement', catalogueId: 'samr-2020-42', entry: null },
    policy: null,
    record,
    firstVerifiedOn: '2025-01-10',
    dueOn: '2027-01-09',
    daysToDue: 45,
    serviceLifeEndsOn: null,
    graceEndsOn: null,
    findings: [],
    message: 'in force',
    ...over,
  }) as VerificationStatus;
const due = (id: string, state: VerificationStatus['state'], ownerId: string, regionCode: string, category = 'MV016'): DueItem => ({
  status: status(id, state),
  name: `Scale ${id}`,
  ownerId,
  ownerName: `Owner ${ownerId}`,
  regionCode,
  category,
  usage: 'trade_settlement',
  assetCode: null,
});
const items = [due('s1', 'due_soon', 'market', '310104'), due('s2', 'overdue', 'market', '310104'), due('s3', 'due_soon', 'shop', '310105', 'MV004')];

const writing = suite('statuses and due lists');

writing('a status: the state, its usability, the certificate with its lab, the trace', () => {
  const w = writeStatus({
    status: status('s1', 'overdue', { record: null }),
    equipment: { name: 'Scale', assetCode: 'A-1', ownerId: 'market', category: 'MV016', usage: 'trade_settlement' } as Equipment,
    ownerName: 'City Market',
    ownerRegionCode: '310104',
    lab: null,
    trace: { equipmentId: 's1', at: '2026-11-25' as CalendarDate, traceable: true, findings: [], notes: [], chain: null as never },
  });
  assert.equal([w.state, w.usable, w.mandatory, w.certificate, w.catalogue, w.policy], ['overdue', false, true, null, null, null]);
  assert.equal(w.traceability, { traceable: true, at: '2026-11-25', findings: [] });
  const inForce = writeStatus({
    status: status('s1', 'in_force'),
    equipment: { name: 'Scale', assetCode: null, ownerId: 'market', category: 'MV016', usage: 'trade_settlement' } as Equipment,
    ownerName: null,
    ownerRegionCode: null,
    lab: { name: 'District Station' } as never,
    trace: { equipmentId: 's1', at: '2026-11-25' as CalendarDate, traceable: true, findings: [], notes: [], chain: null as never },
  });
  assert.is(inForce.usable, true);
  assert.equal(inForce.certificate, {
    id: 'r-1',
    kind: 'verification',
    certificateNo: 'XH-1',
    performedOn: '2026-01-10',
    validUntil: '2027-01-09',
    conformity: 'pass',
    labId: 'lab',
    labName: 'District Station',
  });
});

writing('the due list: the whole list summarised, camelCase items, one page at a time with a cursor', () => {
  const all = writeDue('2026-12-01', '2027-02-28', items);
  assert.is(all.count, 3);
  assert.equal(all.summary, {
    byState: { due_soon: 2, overdue: 1 },
    byCategory: { MV016: 2, MV004: 1 },
    byRegion: { '310104': 2, '310105': 1 },
    byOwner: { market: 2, shop: 1 },
  });
  assert.equal(all.items[0], {
    equipmentId: 's1',
    name: 'Scale s1',
    assetCode: null,
    ownerId: 'market',
    ownerName: 'Owner market',
    regionCode: '310104',
    category: 'MV016',
    usage: 'trade_settlement',
    state: 'due_soon',
    dueOn: '2027-01-09',
    daysToDue: 45,
    certificateNo: 'XH-1',
    performedOn: '2026-01-10',
    labId: 'lab',
  });
  assert.is(all.nextCursor, null);
  const first = writeDue('a', 'b', items, { limit: 2, after: null });
  assert.equal(
    first.items.map((i) => i.equipmentId),
    ['s1', 's2'],
  );
  assert.is(first.count, 3);
  assert.is(decodeCursor(first.nextCursor), 's2');
  const second = writeDue('a', 'b', items, { limit: 2, after: 's2' });
  assert.equal(
    second.items.map((i) => i.equipmentId),
    ['s3'],
  );
  assert.is(second.nextCursor, null);
  assert.is(writeDue('a', 'b', items, { limit: 3, after: null }).nextCursor, null);
  assert.equal(
    refusal(() => writeDue('a', 'b', items, { limit: 2, after: 'gone' })),
    ['INVALID_CURSOR', '?cursor'],
  );
});

writing('the due list as CSV, in English and Chinese', () => {
  const lines = dueCsv(items).split('\r\n');
  assert.is(
    lines[0],
    'equipment_id,name,asset_code,owner_id,owner_name,region_code,category,usage,state,due_on,days_to_due,certificate_no,performed_on,lab_id',
  );
  assert.is(lines[2], 's2,Scale s2,,market,Owner market,310104,MV016,trade_settlement,overdue,2027-01-09,45,XH-1,2026-01-10,lab');
  assert.ok(dueCsv(items, { lang: 'zh', bom: true }).startsWith('\uFEFF器具ID,器具名称,器具编号,'));
});

writing('plans and interval advice: decimals to 12 significant digits, numbers left as numbers', () => {
  const plan = { from: '2026-12', months: 3, assignments: [], unplaced: [], overflow: [], load: [], summary: {}, method: ['m1'] } as unknown as Plan;
  const w = writePlan('plan-1', plan);
  assert.equal([w.id, w.from, w.method], ['plan-1', '2026-12', ['m1']]);
  assert.is.not(w.method, plan.method);
  const i = writeInterval({
    method: 'reliability_target',
    recommendedMonths: 12,
    computedMonths: new Decimal(1).div(3).times(40),
    legalMonths: 12,
    capped: true,
    parameters: { target: new Decimal('0.95'), records: 4, basis: 'JJF 1139' },
    steps: [{ recordId: 'r-1', result: 'in', months: new Decimal('12') }],
    reasoning: ['r'],
  });
  assert.equal(i, {
    method: 'reliability_target',
    recommendedMonths: 12,
    computedMonths: '13.3333333333',
    legalMonths: 12,
    capped: true,
    parameters: { target: '0.95', records: 4, basis: 'JJF 1139' },
    steps: [{ recordId: 'r-1', result: 'in', months: '12' }],
    reasoning: ['r'],
  });
  assert.is(
    writeInterval({
      method: 'staircase',
      recommendedMonths: null,
      computedMonths: null,
      legalMonths: null,
      capped: false,
      parameters: {},
      steps: [],
      reasoning: [],
    }).computedMonths,
    null,
  );
});

reading.run();
writing.run();
