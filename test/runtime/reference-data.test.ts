import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../src/core/errors.ts';
import { ENERGY_RULES_FILE, loadCatalogues, loadEnergyRules, REFERENCE_DIR } from '../../src/runtime/reference-data.ts';

const it = suite('loading the regulatory reference data');
let dir = '';
it.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'metrotrace-reference-'));
});
it.after(() => rmSync(dir, { recursive: true, force: true }));

const referenceError = (file: RegExp) => (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_REFERENCE_DATA' && file.test(e.message);

it('the shipped State catalogue, as its manifest describes it', () => {
  const [catalogue, ...more] = loadCatalogues();
  assert.is(more.length, 0);
  assert.is(catalogue!.id, 'samr-2020-42');
  assert.is(catalogue!.publishedOn, '2020-10-27');
  assert.is(catalogue!.entries.length, 51, 'the 51 reconstructed second-level entries');
});

it('the shipped GB 17167-2006 rules: electricity equipped 100 / 100 / 95 %', () => {
  const rules = loadEnergyRules();
  assert.is(rules.version, 'GB 17167-2006');
  assert.is(rules.rates.size, 13);
  const electricity = rules.rates.get('electricity')!;
  assert.equal([electricity.organisation.value, electricity.sub_unit.value, electricity.equipment.value].map(String), ['100', '100', '95']);
  assert.is(String(rules.majorSubUnit.get('electricity')!.value.value), '10');
  assert.is(rules.majorSubUnit.get('electricity')!.value.unit, 'kW');
  assert.match(REFERENCE_DIR, /fixtures\/reference\/$/);
});

it('a missing or malformed manifest or rule file: INVALID_REFERENCE_DATA naming it', () => {
  assert.throws(() => loadCatalogues(dir), referenceError(/^catalogues\.json: /));
  assert.throws(() => loadEnergyRules(dir), referenceError(new RegExp(`^${ENERGY_RULES_FILE.replace(/\./g, '\\.')}: `)));
  writeFileSync(join(dir, 'catalogues.json'), '[{ "id": ');
  assert.throws(() => loadCatalogues(dir), referenceError(/^catalogues\.json: /));
  writeFileSync(join(dir, ENERGY_RULES_FILE), '{}');
  assert.throws(
    () => loadEnergyRules(dir),
    (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_REFERENCE_DATA',
  );
});

it('a catalogue file that breaks its format: INVALID_REFERENCE_DATA naming the file', () => {
  copyFileSync(join(REFERENCE_DIR, 'catalogues.json'), join(dir, 'catalogues.json'));
  writeFileSync(join(dir, 'mandatory-verification-catalogue-2020.csv'), 'not,the,columns\n1,2,3\n');
  assert.throws(() => loadCatalogues(dir), referenceError(/^mandatory-verification-catalogue-2020\.csv/));
});

it('a catalogue file the manifest names but the directory lacks: INVALID_REFERENCE_DATA naming the file', () => {
  copyFileSync(join(REFERENCE_DIR, 'catalogues.json'), join(dir, 'catalogues.json'));
  rmSync(join(dir, 'mandatory-verification-catalogue-2020.csv'), { force: true });
  assert.throws(() => loadCatalogues(dir), referenceError(/^mandatory-verification-catalogue-2020\.csv: ENOENT/));
});

it.run();
