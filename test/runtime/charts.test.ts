import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../src/core/errors.ts';
import { CHARTS_DIR, loadCharts } from '../../src/runtime/charts.ts';

const it = suite('loading the verification scheme charts');
let dir = '';
it.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metrotrace-charts-'));
});
it.after(() => rmSync(dir, { recursive: true, force: true }));

it('the shipped charts, one per file, in file-name order', () => {
  const charts = loadCharts();
  assert.equal(
    charts.map((c) => c.quantity),
    ['electrical_energy', 'length', 'mass', 'pressure', 'temperature', 'volume'],
  );
  assert.equal(charts.find((c) => c.quantity === 'volume')!.alsoCovers, ['flow']);
  const mass = charts.find((c) => c.quantity === 'mass')!;
  assert.is(mass.levels[0]!.level, 'national_primary_standard');
  assert.ok(mass.minimumAccuracyRatio.greaterThan(1));
  assert.match(CHARTS_DIR, /calibration-chains\/$/);
});

it('only *.chain.json files are read, in file-name order whatever the order they were written in', () => {
  // (written out of name order; libuv lists a directory sorted already, loadCharts sorts again)
  copyFileSync(join(CHARTS_DIR, 'length.chain.json'), join(dir, 'a-length.chain.json'));
  copyFileSync(join(CHARTS_DIR, 'mass.chain.json'), join(dir, 'b-mass.chain.json'));
  copyFileSync(join(CHARTS_DIR, 'volume.chain.json'), join(dir, 'e-volume.chain.json'));
  copyFileSync(join(CHARTS_DIR, 'pressure.chain.json'), join(dir, 'd-pressure.chain.json'));
  copyFileSync(join(CHARTS_DIR, 'temperature.chain.json'), join(dir, 'c-temperature.chain.json'));
  writeFileSync(join(dir, 'README.md'), '# not a chart');
  writeFileSync(join(dir, 'notes.json'), '{ broken');
  assert.equal(
    loadCharts(dir).map((c) => c.quantity),
    ['length', 'mass', 'temperature', 'pressure', 'volume'],
  );
});

it('a file that is not JSON: INVALID_CHART naming the file', () => {
  writeFileSync(join(dir, 'c-broken.chain.json'), '{ "quantity": "mass",');
  assert.throws(
    () => loadCharts(dir),
    (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_CHART' && e.path === '' && /^c-broken\.chain\.json: not valid JSON/.test(e.message),
  );
  rmSync(join(dir, 'c-broken.chain.json'));
});

it('a chart that breaks the format: INVALID_CHART naming the file and the field', () => {
  writeFileSync(join(dir, 'd-bad.chain.json'), JSON.stringify({ quantity: 'mass' }));
  assert.throws(
    () => loadCharts(dir),
    (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_CHART' && /^d-bad\.chain\.json /.test(e.message),
  );
  rmSync(join(dir, 'd-bad.chain.json'));
});

it('an empty directory has no charts; a missing one is an error of the file system', () => {
  const empty = mkdtempSync(join(tmpdir(), 'metrotrace-charts-empty-'));
  assert.equal(loadCharts(empty), []);
  rmSync(empty, { recursive: true });
  assert.throws(
    () => loadCharts(join(dir, 'nowhere')),
    (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
  );
});

it.run();
