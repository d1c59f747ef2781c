/**
 * Writes fixtures/dcc/<record id>.xml: the DCC of every current calibration
 * record of the demo, from an in-memory database. test/http/dcc.test.ts checks
 * that the export still gives exactly these files; rerun after a deliberate
 * change of the DCC writer and review the diff.
 *   node --import tsx scripts/generate-dcc-golden.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadRegistryData } from '../src/app/demo.ts';
import { createServices } from '../src/main/services.ts';
import { openDb } from '../src/persistence/db.ts';

const demo = JSON.parse(readFileSync(new URL('../fixtures/demo/registry.json', import.meta.url), 'utf8')) as {
  records: Array<{ id: string; kind: string; supersedes?: string }>;
};
const database = await openDb({});
await database.migrate();
let n = 0;
const services = createServices(database.db, () => `id-${++n}`);
await loadRegistryData(services.unitOfWork, demo, () => `id-${++n}`, services.rules);
const dir = new URL('../fixtures/dcc/', import.meta.url);
mkdirSync(dir, { recursive: true });
const superseded = new Set(demo.records.flatMap((r) => (r.supersedes ? [r.supersedes] : [])));
for (const r of demo.records) {
  if (r.kind !== 'calibration' || superseded.has(r.id)) continue;
  writeFileSync(new URL(`${r.id}.xml`, dir), (await services.dcc.exportDcc(r.id)) + '\n');
  console.log(`fixtures/dcc/${r.id}.xml`);
}
await database.close();
