/** In-use inspections, spot-check plans and integrity measures read from their contracts: names trimmed, decimals kept as written, sample rules exclusive, the inspector pool large enough. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_WEIGHTS,
  latestInspectionOf,
  readInspection,
  readMeasure,
  readPlanRequest,
  readSampleJson,
  writeInspection,
  writeSample,
} from '../../src/codecs/supervision.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import type { InUseInspection } from '../../src/core/supervision/inspection.ts';
import { refusal } from '../helpers/refusal.ts';

const newId = () => 'drawn';

const inspections = suite('in-use inspections');

const inspection = (over: Record<string, unknown> = {}) => ({
  equipmentId: 'scale-1',
  inspectedOn: '2026-11-20',
  inspectors: [' 王磊 ', '李娜'],
  findings: {
    labelPresent: true,
    points: [
      { nominal: '10.000', indication: '10.005', unit: 'kg', inUseMpe: '0.010' },
      { nominal: '2', indication: '2', unit: 'kg' },
    ],
  },
  ...over,
});

inspections('names trimmed, decimals kept as written and as values, absent fields null', () => {
  const r = readInspection(inspection(), newId);
  assert.equal(
    [r.id, r.equipmentId, r.inspectedOn, r.inspectors, r.planId, r.outcome, r.rectifyBy, r.remarks, r.photos],
    ['drawn', 'scale-1', '2026-11-20', ['王磊', '李娜'], null, null, null, null, []],
  );
  assert.equal([r.findings.labelPresent, r.findings.labelMatches, r.findings.sealIntact], [true, null, null]);
  const [p, q] = r.findings.points as unknown as Array<{ nominal: Decimal; inUseMpe: Decimal | null; written: unknown }>;
  assert.equal(p!.written, { nominal: '10.000', indication: '10.005', inUseMpe: '0.010' });
  assert.is(p!.nominal.toString(), '10');
  assert.is(p!.inUseMpe!.toString(), '0.01');
  assert.is(q!.inUseMpe, null);
  const full = readInspection(inspection({ id: 'i-1', planId: 'plan-1', outcome: 'rectify', rectifyBy: '2026-12-20', remarks: '  ' }), newId);
  assert.equal([full.id, full.planId, full.outcome, full.rectifyBy, full.remarks], ['i-1', 'plan-1', 'rectify', '2026-12-20', null]);
});

inspections('refusals: no inspector, a blank one, dates and decimals at their pointers', () => {
  assert.equal(
    refusal(() => readInspection(inspection({ inspectors: [] }), newId)),
    ['MISSING_FIELD', '/inspectors'],
  );
  assert.equal(
    refusal(() => readInspection(inspection({ inspectors: ['王磊', '   '] }), newId)),
    ['INVALID_FIELD', '/inspectors/1'],
  );
  assert.equal(
    refusal(() => readInspection(inspection({ rectifyBy: '2026-13-01' }), newId)),
    ['INVALID_DATE', '/rectifyBy'],
  );
  assert.equal(
    refusal(() => readInspection(inspection({ findings: { labelPresent: true, points: [{ nominal: 'ten', indication: '1', unit: 'kg' }] } }), newId)),
    ['INVALID_DECIMAL', '/findings/points/0/nominal'],
  );
  assert.equal(
    refusal(() => readInspection(inspection({ findings: {} }), newId)),
    ['MISSING_FIELD', '/findings/labelPresent'],
  );
});

inspections('written with the outcome in both languages; the latest inspection of a target by instrument or organisation', () => {
  const i = { id: 'i-1', equipmentId: 'scale-1', organisationId: 'market', outcome: 'prohibited' } as unknown as InUseInspection;
  assert.equal(writeInspection(i).outcomeName, { zh: '责令停止使用', en: 'use prohibited' });
  const list = [
    { equipmentId: 'a', organisationId: 'm', n: 1 },
    { equipmentId: 'b', organisationId: 'm', n: 2 },
    { equipmentId: 'a', organisationId: 'm', n: 3 },
  ];
  assert.is(latestInspectionOf('instrument', { unitId: 'a', organisationId: 'x' }, list)!.n, 3);
  assert.is(latestInspectionOf('instrument', { unitId: 'b', organisationId: 'x' }, list)!.n, 2);
  assert.is(latestInspectionOf('organisation', { unitId: 'm', organisationId: 'm' }, list)!.n, 3);
  assert.is(latestInspectionOf('instrument', { unitId: 'c', organisationId: 'm' }, list), null);
  assert.is(latestInspectionOf('organisation', { unitId: 'z', organisationId: 'z' }, list), null);
});

const plans = suite('spot-check plans');

const plan = (over: Record<string, unknown> = {}) => ({
  title: '2026 Q4 scales',
  drawDate: '2026-11-25',
  seed: 'SSE 3402.17',
  filter: { region: '3101' },
  sample: { size: 5 },
  inspectors: [{ id: 'i1' }, { id: 'i2', regions: ['310104'], conflicts: ['market'] }],
  ...over,
});

plans('defaults: instrument, no strata, weights 1-2-3-4 and 2 ungraded, two inspectors a target, 12 months cooling off', () => {
  const p = readPlanRequest(plan(), newId);
  assert.equal(p, {
    id: 'drawn',
    regulatorId: null,
    title: '2026 Q4 scales',
    unit: 'instrument',
    drawDate: '2026-11-25',
    seed: 'SSE 3402.17',
    filter: { region: '3101', organisationKinds: [], category: null, usage: null },
    stratifyBy: 'none',
    weights: DEFAULT_WEIGHTS,
    sample: { size: 5 },
    strata: {},
    inspectorsPerTarget: 2,
    coolingOffMonths: 12,
    inspectors: [
      { id: 'i1', regions: [], conflicts: [] },
      { id: 'i2', regions: ['310104'], conflicts: ['market'] },
    ],
  });
  assert.equal(DEFAULT_WEIGHTS, { A: 1, B: 2, C: 3, D: 4, ungraded: 2 });
});

plans('weights given in part are completed from the defaults; strata read with their own rules', () => {
  const p = readPlanRequest(plan({ weights: { D: 8 }, stratifyBy: 'region', strata: { '310104': { rate: '0.10' }, 'a/b': { size: 1 } } }), newId);
  assert.equal(p.weights, { A: 1, B: 2, C: 3, D: 8, ungraded: 2 });
  assert.equal(writeSample(p.strata['310104']!), { rate: '0.1' });
  assert.equal(p.strata['a/b'], { size: 1 });
  assert.equal(
    refusal(() => readPlanRequest(plan({ strata: { 'a/b': { size: 1, rate: '0.1' } } }), newId)),
    ['INVALID_FIELD', '/strata/a~1b'],
  );
  assert.equal(refusal(() => readPlanRequest(plan({ strata: { x: { size: 0 } } }), newId))[1], '/strata/x/size');
  assert.equal(
    refusal(() => readPlanRequest(plan({ strata: { x: { extra: 1 } } }), newId)),
    ['UNKNOWN_FIELD', '/strata/x/extra'],
  );
});

plans('a sample is a size or a rate in (0, 1], not both, not neither', () => {
  assert.equal(readPlanRequest(plan({ sample: { rate: '1' } }), newId).sample, { rate: new Decimal(1) });
  assert.equal(
    refusal(() => readPlanRequest(plan({ sample: {} }), newId)),
    ['INVALID_FIELD', '/sample'],
  );
  assert.equal(
    refusal(() => readPlanRequest(plan({ sample: { size: 3, rate: '0.5' } }), newId)),
    ['INVALID_FIELD', '/sample'],
  );
  assert.equal(
    refusal(() => readPlanRequest(plan({ sample: { rate: '0' } }), newId)),
    ['INVALID_FIELD', '/sample/rate'],
  );
  assert.equal(
    refusal(() => readPlanRequest(plan({ sample: { rate: '1.01' } }), newId)),
    ['INVALID_FIELD', '/sample/rate'],
  );
});

plans('the seed at least 8 characters; the pool without duplicates and large enough', () => {
  assert.equal(
    refusal(() => readPlanRequest(plan({ seed: ' 1234567 ' }), newId)),
    ['INVALID_FIELD', '/seed'],
  );
  assert.is(readPlanRequest(plan({ seed: '12345678' }), newId).seed, '12345678');
  assert.equal(
    refusal(() => readPlanRequest(plan({ inspectors: [{ id: 'i1' }, { id: 'i1' }] }), newId)),
    ['DUPLICATE', '/inspectors'],
  );
  assert.equal(
    refusal(() => readPlanRequest(plan({ inspectorsPerTarget: 3 }), newId)),
    ['INVALID_FIELD', '/inspectors'],
  );
  assert.is(readPlanRequest(plan({ inspectorsPerTarget: 1, inspectors: [{ id: 'solo' }] }), newId).inspectorsPerTarget, 1);
  assert.equal(
    refusal(() => readPlanRequest(plan({ filter: { region: '310' } }), newId)),
    ['INVALID_FIELD', '/filter/region'],
  );
  assert.equal(
    refusal(() => readPlanRequest(plan({ drawDate: '2026-11-31' }), newId)),
    ['INVALID_DATE', '/drawDate'],
  );
});

plans('sample rules as published and read back', () => {
  assert.equal(writeSample({ size: 7 }), { size: 7 });
  assert.equal(writeSample({ rate: new Decimal('0.050') }), { rate: '0.05' });
  assert.equal(readSampleJson({ rate: '0.05' }), { rate: new Decimal('0.05') });
  assert.equal(readSampleJson({ size: 7 }), { size: 7 });
});

const measures = suite('integrity measures');

measures('a measure for the organisation given, its reason trimmed or null, no regulator yet', () => {
  assert.equal(readMeasure({ kind: 'listed', decidedOn: '2026-11-25', reason: ' repeated fraud ' }, 'market', newId), {
    id: 'drawn',
    organisationId: 'market',
    kind: 'listed',
    decidedOn: '2026-11-25',
    reason: 'repeated fraud',
    regulatorId: null,
  });
  assert.is(readMeasure({ id: 'm-1', kind: 'commitment', decidedOn: '2026-11-25' }, 'market', newId).reason, null);
  assert.equal(
    refusal(() => readMeasure({ kind: 'fined', decidedOn: '2026-11-25' }, 'market', newId)),
    ['INVALID_FIELD', '/kind'],
  );
});

inspections.run();
plans.run();
measures.run();
