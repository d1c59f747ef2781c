import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { Decimal, type DecimalText } from '../../../src/core/numeric/decimal.ts';
import type { Accuracy, CalibrationRecord, Equipment, MeasuredPoint } from '../../../src/core/registry/types.ts';
import type { HierarchyLevel, QuantityKind } from '../../../src/core/registry/vocabulary.ts';
import type { ChainLink } from '../../../src/core/traceability/chain.ts';
import {
  type ChainUncertainty,
  chainUncertainty,
  linkUncertainty,
  recordUncertainty,
  referenceUncertainty,
} from '../../../src/core/traceability/chain-uncertainty.ts';
import type { TypicalAccuracy, VerificationChart } from '../../../src/core/traceability/chart.ts';
import { correlation, standardUncertainty } from '../../../src/core/uncertainty/uncertain-real.ts';

const it = suite('uncertainty down a traceability chain');
const t = (s: string) => s as DecimalText;
const dec = (s: string | number) => new Decimal(s);
const sig = (d: Decimal) => d.toSignificantDigits(30).toString();
const ON = '2026-06-01' as CalendarDate;

function equipment(id: string, over: Partial<Omit<Equipment, 'range'>> & { max?: string | null; unit?: string } = {}): Equipment {
  const { max = '1', unit = 'kg', ...rest } = over;
  return {
    id,
    ownerId: 'owner',
    name: id,
    assetCode: null,
    serialNumber: null,
    manufacturer: null,
    model: null,
    quantity: 'mass',
    range: { min: t('0'), max: max === null ? null : t(max), unit },
    accuracy: { kind: 'class', accuracyClass: 'F1' },
    level: 'working_standard',
    category: null,
    usage: 'other',
    status: 'in_service',
    assessment: null,
    realisation: null,
    ...rest,
  };
}

const point = (nominal: string, U: string | null, k: string | null): MeasuredPoint => ({
  nominal: t(nominal),
  asFound: null,
  asLeft: null,
  expandedUncertainty: U === null ? null : t(U),
  coverageFactor: k === null ? null : t(k),
  unit: 'kg',
});

function record(id: string, subjectId: string, points: MeasuredPoint[]): CalibrationRecord {
  return {
    id,
    kind: 'calibration',
    subjectId,
    labId: 'lab',
    referenceIds: [],
    certificateNo: `CERT-${id}`,
    performedOn: '2026-01-10' as CalendarDate,
    validUntil: null,
    conformity: null,
    points,
    supersedes: null,
    remarks: null,
  };
}

function link(e: Equipment | null, r: CalibrationRecord | null, references: ChainLink[] = [], id = e?.id ?? 'unknown'): ChainLink {
  return { equipment: e, equipmentId: id, at: ON, record: r, lab: null, realisation: null, references, findings: [], notes: [] };
}

function chart(quantity: QuantityKind, typical: Partial<Record<HierarchyLevel, TypicalAccuracy>>): VerificationChart {
  return {
    quantity,
    alsoCovers: [],
    title: quantity,
    titleZh: null,
    modelledOn: null,
    unit: 'kg',
    minimumAccuracyRatio: dec(3),
    levels: Object.entries(typical).map(([level, typ]) => ({ level: level as HierarchyLevel, name: level, typical: typ! })),
    transfers: [],
  };
}

const expanded = (U: string, k: string, unit: string): Accuracy => ({ kind: 'expanded', expandedUncertainty: t(U), coverageFactor: t(k), unit });

it("a record's relative standard uncertainty: U/k over |nominal| at its first point stating both", () => {
  const r = record('r1', 'w', [point('0', '0.1', '2'), point('5', null, '2'), point('5', '0.1', null), point('-20', '0.004', '2'), point('1', '1', '1')]);
  const got = recordUncertainty(r)!;
  assert.is(got.point, 3, 'a zero nominal and a point without U or k are passed over');
  assert.is(got.u.toString(), '0.0001', '0.004/2/20');
  assert.is(recordUncertainty(record('r2', 'w', [point('5', null, null)])), null);
  assert.is(recordUncertainty(record('r3', 'w', [])), null);
});

it("a link's total: the record's, else the equipment's stated accuracy, else the chart's, else none", () => {
  const charts = [
    chart('mass', {
      working_standard: { kind: 'relative-expanded', relativeExpandedUncertainty: dec('0.0003'), k: dec(3) },
      working_instrument: { kind: 'relative-mpe', relativeMpe: dec('0.003') },
      enterprise_highest_standard: { kind: 'class', accuracyClass: 'E2' },
    }),
  ];
  const w = equipment('w', { accuracy: expanded('0.002', '2', 'kg'), max: '10' });
  assert.equal(linkUncertainty(link(w, record('r', 'w', [point('2', '0.0002', '2')])), charts), { u: dec('0.00005'), source: 'record' });
  // U/k over the top of the range, in the range's unit
  assert.equal(linkUncertainty(link(w, null), charts), { u: dec('0.0001'), source: 'equipment' });
  assert.equal(linkUncertainty(link(w, record('r', 'w', [point('2', null, null)])), charts).source, 'equipment', 'a record stating no uncertainty');
  // relative U/k ("unit": "1")
  assert.equal(linkUncertainty(link(equipment('x', { accuracy: expanded('0.0004', '2', '1') }), null), charts), { u: dec('0.0002'), source: 'equipment' });
  // MPE/√3 over the top of the range (negative range end: its magnitude)
  const mpe = linkUncertainty(link(equipment('m', { accuracy: { kind: 'mpe', mpe: t('0.3'), unit: 'kg' }, max: '-100' }), null), charts);
  assert.is(mpe.source, 'equipment');
  assert.is(sig(mpe.u), sig(dec('0.003').div(dec(3).sqrt())));
  // the chart's typical figure for the level, where the equipment's accuracy says nothing usable
  assert.equal(
    linkUncertainty(link(equipment('c', { accuracy: expanded('0.002', '2', 'g') }), null), charts),
    { u: dec('0.0001'), source: 'chart' },
    'unit not the range unit',
  );
  assert.equal(linkUncertainty(link(equipment('n', { accuracy: expanded('0.002', '2', 'kg'), max: null }), null), charts).source, 'chart', 'no top of range');
  assert.equal(linkUncertainty(link(equipment('z', { accuracy: expanded('0.002', '2', 'kg'), max: '0' }), null), charts).source, 'chart', 'a zero top');
  const instrument = linkUncertainty(link(equipment('i', { level: 'working_instrument' }), null), charts);
  assert.equal([instrument.source, sig(instrument.u)], ['chart', sig(dec('0.003').div(dec(3).sqrt()))]);
  // a class on the chart, no chart for the quantity, no equipment: nothing
  assert.equal(linkUncertainty(link(equipment('e', { level: 'enterprise_highest_standard' }), null), charts), { u: dec(0), source: 'none' });
  assert.equal(linkUncertainty(link(equipment('l', { quantity: 'length' }), null), charts), { u: dec(0), source: 'none' });
  assert.equal(linkUncertainty(link(null, null, [], 'gone'), charts), { u: dec(0), source: 'none' });
});

// The national primary P (u = 1e-6 from its stated accuracy), a working standard S
// calibrated against it (record: u = 5e-6), two instruments A and B calibrated
// against the same record of S (3e-5 and 4e-5).
const P = link(equipment('P', { level: 'national_primary_standard', accuracy: expanded('0.000002', '2', 'kg') }), null);
const sRecord = record('s1', 'S', [point('1', '0.00001', '2')]);
const S = link(equipment('S'), sRecord, [P]);
const A = link(equipment('A', { level: 'working_instrument' }), record('a1', 'A', [point('2', '0.00012', '2')]), [S]);
const B = link(equipment('B', { level: 'working_instrument' }), record('b1', 'B', [point('1', '0.00008', '2')]), [{ ...S, at: '2026-03-01' as CalendarDate }]);

it("each link adds √(u² − u_ref²) to its reference's, so the chain's total is the record's own figure", () => {
  const s = chainUncertainty(S, []);
  assert.equal(
    s.levels.map((l) => [l.label, l.equipmentId, l.level, l.source, l.belowReference]),
    [
      ['S (CERT-s1)', 'S', 'working_standard', 'record', false],
      ['P', 'P', 'national_primary_standard', 'equipment', false],
    ],
  );
  assert.is(sig(s.levels[0]!.u), '0.000005');
  assert.is(sig(s.levels[0]!.own), sig(dec(24).sqrt().times('1e-6')), '√(25 − 1)·10⁻⁶');
  assert.is(sig(s.levels[1]!.own), '0.000001', 'the top adds all of its own');
  assert.is(sig(standardUncertainty(s.number)), '0.000005');
  assert.is(s.number.value.toString(), '1');
  assert.is(sig(referenceUncertainty([s])), '0.000005');
});

it('two results calibrated against the same record of a standard share its variance: r = u_S²/(u_A·u_B)', () => {
  const memo = new Map<string, ChainUncertainty>();
  const a = chainUncertainty(A, [], memo);
  const b = chainUncertainty(B, [], memo);
  assert.is(sig(standardUncertainty(a.number)), '0.00003');
  assert.is(sig(standardUncertainty(b.number)), '0.00004');
  // 25e-12 / (3e-5 · 4e-5) = 1/48
  assert.is(sig(correlation(a.number, b.number)), sig(dec(1).div(48)));
  assert.is(memo.get('record:s1'), chainUncertainty(S, [], memo), 'one influence per calibration, whatever the date it was used on');
  assert.equal(
    a.levels.map((l) => l.label),
    ['A (CERT-a1)', 'S (CERT-s1)', 'P'],
  );
  // without a shared memo the two chains are independent
  const lone = chainUncertainty(B, []);
  assert.is(sig(correlation(a.number, lone.number)), '0');
});

it('several references hand down their mean; a link listed twice appears once in the levels', () => {
  const Q = link(equipment('Q', { accuracy: expanded('0.000006', '2', 'kg') }), null);
  const both = [chainUncertainty(P, []), chainUncertainty(Q, [])];
  // (P + Q)/2: √(1² + 3²)/2 · 10⁻⁶
  assert.is(sig(referenceUncertainty(both)), sig(dec(10).sqrt().div(2).times('1e-6')));
  assert.is(referenceUncertainty([]).toString(), '0');
  const W = link(equipment('W', { level: 'working_instrument' }), record('w1', 'W', [point('1', '0.00002', '2')]), [P, Q, P]);
  const w = chainUncertainty(W, []);
  assert.equal(
    w.levels.map((l) => l.label),
    ['W (CERT-w1)', 'P', 'Q'],
  );
  assert.is(sig(standardUncertainty(w.number)), '0.00001');
});

it('a total below its reference adds nothing and says so', () => {
  const charts = [chart('mass', { working_instrument: { kind: 'relative-expanded', relativeExpandedUncertainty: dec('0.000002'), k: dec(2) } })];
  const low = chainUncertainty(link(equipment('L', { level: 'working_instrument' }), null, [S]), charts);
  assert.equal([low.levels[0]!.source, low.levels[0]!.belowReference, low.levels[0]!.own.toString()], ['chart', true, '0']);
  assert.is(sig(low.levels[0]!.u), '0.000001');
  assert.is(sig(standardUncertainty(low.number)), '0.000005', "the reference's, no less");
  // equal to the reference: adds zero, not below
  const equal = chainUncertainty(link(equipment('E'), record('e1', 'E', [point('1', '0.00001', '2')]), [S]), []);
  assert.equal([equal.levels[0]!.belowReference, equal.levels[0]!.own.toString()], [false, '0']);
});

it.run();
