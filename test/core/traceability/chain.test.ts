/** Every finding code of the chain resolution, on small graphs built in the test. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEquipment, readOrganisation, readRecord, readScope } from '../../../src/codecs/registry.ts';
import { parseDate } from '../../../src/core/dates.ts';
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../../../src/core/registry/types.ts';
import { FINDING_CODES, NOTE_CODES, resolveChain, type TraceGraph, type ToleranceFinding } from '../../../src/core/traceability/chain.ts';
import { CHARTS } from '../../helpers/app.ts';

const noId = () => 'x';
const lab = readOrganisation({ id: 'lab', name: 'Lab', kind: 'calibration_lab', regionCode: '310000' }, noId);
const scope = readScope({ id: 's', quantity: 'mass', validFrom: '2020-01-01', validUntil: '2030-12-31' }, 'lab', noId);
const std = (id: string, level: string, extra: Record<string, unknown> = {}) =>
  readEquipment(
    {
      id,
      ownerId: 'lab',
      name: id,
      quantity: 'mass',
      range: { min: '0', max: '10', unit: 'kg' },
      accuracy: { kind: 'mpe', mpe: level === 'working_instrument' ? '0.01' : level === 'national_primary_standard' ? '0.000001' : '0.0001', unit: 'kg' },
      level,
      ...(level === 'national_primary_standard'
        ? { realisation: 'Kibble balance' }
        : level === 'working_instrument'
          ? {}
          : { assessment: { certificateNo: `A-${id}`, validFrom: '2020-01-01', validUntil: '2030-12-31' } }),
      ...extra,
    },
    noId,
  );
const rec = (id: string, subjectId: string, refs: string[], performedOn: string, validUntil: string | null, extra: Record<string, unknown> = {}) =>
  readRecord(
    { id, kind: 'verification', subjectId, labId: 'lab', referenceIds: refs, certificateNo: `C-${id}`, performedOn, validUntil, conformity: 'pass', ...extra },
    noId,
  );

function graph(
  equipment: Equipment[],
  records: CalibrationRecord[],
  opts: { scopes?: LabScope[]; labs?: Organisation[]; tolerance?: ToleranceFinding[] } = {},
): TraceGraph {
  return {
    equipment: (id) => equipment.find((e) => e.id === id),
    records: (id) => records.filter((r) => r.subjectId === id),
    organisation: (id) => (opts.labs ?? [lab]).find((o) => o.id === id),
    scopes: () => opts.scopes ?? [scope],
    toleranceFindings: (id) => (opts.tolerance ?? []).filter((t) => t.equipmentId === id),
    charts: CHARTS,
  };
}

const at = parseDate('2026-06-01', '');
const national = std('national', 'national_primary_standard');
const working = std('working', 'working_standard');
const scale = std('scale', 'working_instrument');
const good = [rec('r-working', 'working', ['national'], '2026-01-10', '2027-01-09'), rec('r-scale', 'scale', ['working'], '2026-03-01', '2027-02-28')];
const codes = (g: TraceGraph, id = 'scale') => resolveChain(g, id, at).findings.map((f) => f.code);

const it = suite('traceability chain');

it('a complete chain to a national standard with a declared realisation is traceable', () => {
  const r = resolveChain(graph([national, working, scale], good), 'scale', at);
  assert.is(r.traceable, true, JSON.stringify(r.findings));
  assert.is(r.chain.record!.id, 'r-scale');
  assert.is(r.chain.references[0]!.equipmentId, 'working');
  assert.is(r.chain.references[0]!.at, '2026-03-01', 'a reference must hold on the date it was used');
  assert.is(r.chain.references[0]!.references[0]!.realisation, 'Kibble balance');
});

it('NO_RECORD_IN_FORCE when nothing was performed by the date', () => {
  assert.equal(codes(graph([national, working, scale], [good[0]!])), ['NO_RECORD_IN_FORCE']);
});

it('CERTIFICATE_EXPIRED when the latest record expired before the date', () => {
  assert.equal(codes(graph([national, working, scale], [good[0]!, rec('old', 'scale', ['working'], '2026-01-15', '2026-05-01')])), ['CERTIFICATE_EXPIRED']);
});

it('RECORD_FAILED for a failed verification, and for a reference that failed', () => {
  assert.equal(codes(graph([national, working, scale], [good[0]!, rec('r-scale', 'scale', ['working'], '2026-03-01', null, { conformity: 'fail' })])), [
    'RECORD_FAILED',
  ]);
  assert.equal(codes(graph([national, working, scale], [rec('r-working', 'working', ['national'], '2026-01-10', null, { conformity: 'fail' }), good[1]!])), [
    'RECORD_FAILED',
  ]);
});

it('OUT_OF_TOLERANCE when a reference was used after its last known good date', () => {
  const tolerance = [{ equipmentId: 'working', lastKnownGood: parseDate('2026-02-01', ''), foundOn: parseDate('2026-05-01', '') }];
  assert.equal(codes(graph([national, working, scale], good, { tolerance })), ['OUT_OF_TOLERANCE']);
});

it('STANDARD_SUSPENDED, ASSESSMENT_EXPIRED and NO_ASSESSMENT on a reference standard', () => {
  assert.equal(codes(graph([national, std('working', 'working_standard', { status: 'suspended' }), scale], good)), ['STANDARD_SUSPENDED']);
  assert.equal(
    codes(
      graph(
        [national, std('working', 'working_standard', { assessment: { certificateNo: 'A', validFrom: '2020-01-01', validUntil: '2026-02-01' } }), scale],
        good,
      ),
    ),
    ['ASSESSMENT_EXPIRED'],
  );
  assert.equal(codes(graph([national, std('working', 'working_standard', { assessment: null }), scale], good)), ['NO_ASSESSMENT']);
});

it('LAB_NOT_AUTHORISED when no scope covers the quantity, the date or the range', () => {
  const pressure = readScope({ id: 'p', quantity: 'pressure', validFrom: '2020-01-01', validUntil: '2030-12-31' }, 'lab', noId);
  assert.equal(codes(graph([national, working, scale], good, { scopes: [pressure] })), ['LAB_NOT_AUTHORISED', 'LAB_NOT_AUTHORISED']);
  const lapsed = readScope({ id: 'l', quantity: 'mass', validFrom: '2020-01-01', validUntil: '2026-02-01' }, 'lab', noId);
  assert.equal(codes(graph([national, working, scale], good, { scopes: [lapsed] })), ['LAB_NOT_AUTHORISED']);
  const small = readScope(
    { id: 'm', quantity: 'mass', range: { min: '0', max: '1', unit: 'kg' }, validFrom: '2020-01-01', validUntil: '2030-12-31' },
    'lab',
    noId,
  );
  assert.equal(codes(graph([national, working, scale], good, { scopes: [small] })), ['LAB_NOT_AUTHORISED', 'LAB_NOT_AUTHORISED']);
});

it("ACCURACY_RATIO_LOW below the chart's minimum ratio", () => {
  const coarse = std('working', 'working_standard', { accuracy: { kind: 'mpe', mpe: '0.005', unit: 'kg' } }); // 0.01 / 0.005 = 2 < 3
  assert.equal(codes(graph([national, coarse, scale], good)), ['ACCURACY_RATIO_LOW']);
});

it('CYCLE when a standard is calibrated against its own dependant', () => {
  const loop = [
    rec('r-working', 'working', ['scale-std'], '2026-01-10', '2027-01-09'),
    rec('r-ss', 'scale-std', ['working'], '2025-12-01', '2026-12-01'),
    good[1]!,
  ];
  const codesFound = codes(graph([national, working, std('scale-std', 'working_standard'), scale], loop));
  assert.ok(codesFound.includes('CYCLE'), codesFound.join());
});

it('DEAD_END for a record without references and for a national standard without a realisation', () => {
  assert.equal(codes(graph([national, working, scale], [good[0]!, rec('r-scale', 'scale', [], '2026-03-01', '2027-02-28')])), ['DEAD_END']);
  assert.equal(codes(graph([std('national', 'national_primary_standard', { realisation: null }), working, scale], good)), ['DEAD_END']);
});

it('EXTERNAL_REFERENCE where a record names standards outside the registry: kept, said as a note, not followed, not a break', () => {
  const external = rec('r-scale', 'scale', [], '2026-03-01', '2027-02-28', { externalReferences: ['PTB flow standard 42'] });
  const r = resolveChain(graph([national, working, scale], [good[0]!, external]), 'scale', at);
  assert.equal([r.traceable, r.findings, r.notes.map((f) => f.code)], [true, [], ['EXTERNAL_REFERENCE']]);
  assert.match(r.notes[0]!.message, /PTB flow standard 42/);
  // beside references in the registry, which are followed as usual
  const mixed = rec('r-scale', 'scale', ['working'], '2026-03-01', '2027-02-28', { externalReferences: ['PTB flow standard 42'] });
  const m = resolveChain(graph([national, working, scale], [good[0]!, mixed]), 'scale', at);
  assert.equal([m.traceable, m.notes.map((f) => f.code), m.chain.references[0]!.equipmentId], [true, ['EXTERNAL_REFERENCE'], 'working']);
  assert.equal(Object.keys(NOTE_CODES), ['EXTERNAL_REFERENCE', 'FILED_UNCONFIRMED']);
});

it('an out-of-tolerance finding covers uses after the last known good date until the standard is calibrated again', () => {
  const tolerance = [{ equipmentId: 'working', lastKnownGood: parseDate('2026-02-01', ''), foundOn: parseDate('2026-04-01', '') }];
  // used on 2026-03-01, after the last known good date, before anything was done about it
  assert.equal(codes(graph([national, working, scale], good, { tolerance })), ['OUT_OF_TOLERANCE']);
  // recalibrated on 2026-04-10, used on 2026-05-01: clear
  const later = [rec('r-working-2', 'working', ['national'], '2026-04-10', '2027-04-09'), rec('r-scale', 'scale', ['working'], '2026-05-01', '2027-04-30')];
  assert.equal(codes(graph([national, working, scale], [good[0]!, ...later], { tolerance })), []);
});

it('a mandatory verification needs a scope that allows mandatory verification; a category scope covers only its category', () => {
  const g = {
    ...graph([national, working, std('scale', 'working_instrument', { category: 'MV016', usage: 'trade_settlement' })], good),
    mandatory: (e: Equipment) => e.category === 'MV016',
  };
  assert.equal(codes(g), ['LAB_NOT_AUTHORISED'], 'the default scope does not allow mandatory verification');
  const allowed = readScope({ id: 'mv', quantity: 'mass', mandatoryVerification: true, validFrom: '2020-01-01', validUntil: '2030-12-31' }, 'lab', noId);
  assert.equal(codes({ ...g, scopes: () => [allowed] }), []);
  const otherCategory = readScope(
    { id: 'mv', quantity: 'mass', category: 'MV017', mandatoryVerification: true, validFrom: '2020-01-01', validUntil: '2030-12-31' },
    'lab',
    noId,
  );
  assert.equal(codes({ ...g, scopes: () => [otherCategory, scope] }), ['LAB_NOT_AUTHORISED']);
});

it('UNKNOWN_EQUIPMENT for a reference that is not in the registry', () => {
  assert.equal(codes(graph([working, scale], good)), ['UNKNOWN_EQUIPMENT']);
});

it('a calibration without validUntil: valid for the policy interval from its day, else for its day only (NO_STATED_VALIDITY)', () => {
  const d = (s: string) => parseDate(s, '');
  const cal = (id: string, subjectId: string, refs: string[], performedOn: string) =>
    readRecord(
      { id, kind: 'calibration', subjectId, labId: 'lab', referenceIds: refs, certificateNo: `C-${id}`, performedOn, points: [{ nominal: '1', unit: 'kg' }] },
      noId,
    );
  // the working standard's calibration names no date and no policy dates it: it does not vouch for its use months later
  const undated = graph([national, working, scale], [cal('w-cal', 'working', ['national'], '2026-01-10'), good[1]!]);
  assert.equal(codes(undated), ['NO_STATED_VALIDITY']);
  const f = resolveChain(undated, 'scale', d('2026-06-01')).findings[0]!;
  assert.equal([f.equipmentId, f.recordId], ['working', 'w-cal']);
  assert.match(f.message, /states no validity/);
  // on its own day it holds
  assert.equal(resolveChain(undated, 'working', d('2026-01-10')).findings, []);
  // with a 12-month interval policy it holds until 2027-01-09, and has expired after
  const withPolicy: TraceGraph = { ...undated, intervalMonths: (e) => (e.id === 'working' ? 12 : null) };
  assert.equal(resolveChain(withPolicy, 'scale', d('2026-06-01')).findings, []);
  assert.equal(resolveChain(withPolicy, 'working', d('2027-01-09')).findings, []);
  assert.equal(
    resolveChain(withPolicy, 'working', d('2027-01-10')).findings.map((x) => x.code),
    ['CERTIFICATE_EXPIRED'],
  );
});

it('every finding code has a test above', () => {
  assert.equal(Object.keys(FINDING_CODES).sort(), [
    'ACCURACY_RATIO_LOW',
    'ASSESSMENT_EXPIRED',
    'CERTIFICATE_EXPIRED',
    'CYCLE',
    'DEAD_END',
    'LAB_NOT_AUTHORISED',
    'NO_ASSESSMENT',
    'NO_RECORD_IN_FORCE',
    'NO_STATED_VALIDITY',
    'OUT_OF_TOLERANCE',
    'RECORD_FAILED',
    'STANDARD_SUSPENDED',
    'UNKNOWN_EQUIPMENT',
  ]);
});

it.run();
