import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readChart } from '../../src/codecs/chain-chart.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import { chartFor } from '../../src/core/traceability/chart.ts';
import { loadCharts } from '../../src/runtime/charts.ts';

const it = suite('verification scheme charts');
const mass = () => JSON.parse(readFileSync('calibration-chains/mass.chain.json', 'utf8'));

it('the committed charts load: mass, length, temperature, pressure, electrical energy, volume (and flow)', () => {
  const charts = loadCharts();
  assert.equal(charts.map((c) => c.quantity).sort(), ['electrical_energy', 'length', 'mass', 'pressure', 'temperature', 'volume']);
  assert.is(chartFor(charts, 'flow')?.quantity, 'volume');
  for (const c of charts) assert.is(c.levels[0]!.level, 'national_primary_standard');
});

// biome-ignore lint/suspicious/noExplicitAny: the test breaks a chart file's JSON in any way it likes
function rejects(mutate: (c: Record<string, any>) => void, path: string, rule: RegExp) {
  const c = mass();
  mutate(c);
  try {
    readChart(c, 'mass.chain.json');
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.is((e as MetrologyError).code, 'INVALID_CHART');
    assert.is((e as MetrologyError).path, path);
    assert.match((e as MetrologyError).message, /^mass\.chain\.json /);
    assert.match((e as MetrologyError).message, rule);
    return;
  }
  assert.unreachable('expected INVALID_CHART');
}

it('a malformed chart fails with the file, the path and the rule', () => {
  rejects((c) => (c.format = 'v0'), '/format', /the format is "metrotrace.chain\/1"/);
  rejects((c) => (c.quantity = 'weight'), '/quantity', /must be one of/);
  rejects((c) => c.levels.reverse(), '/levels/0/level', /starts at the national primary standard/);
  rejects((c) => ([c.levels[1], c.levels[2]] = [c.levels[2], c.levels[1]]), '/levels/2/level', /levels run top to bottom/);
  rejects((c) => c.transfers.pop(), '/levels/3', /no transfer reaches 'working_instrument'/);
  rejects((c) => (c.transfers[0].to = 'national_primary_standard'), '/transfers/0/to', /a transfer goes down the hierarchy/);
  rejects((c) => (c.minimumAccuracyRatio = '0.5'), '/minimumAccuracyRatio', /at least 1/);
  rejects((c) => (c.minimumAccuracyRatio = 3), '/minimumAccuracyRatio', /as a string/);
  rejects((c) => (c.levels[0].typical = { colour: 'red' }), '/levels/0/typical', /a typical accuracy is one of/);
  rejects((c) => (c.extra = 1), '/extra', /unknown field/);
});

it.run();
