/** Building the app over a rolled-back transaction of a test database, with the demo data loaded. */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadRegistryData } from '../../src/app/demo.ts';
import type { RegistryService } from '../../src/app/registry.ts';
import { UncertaintyService } from '../../src/app/uncertainty.ts';
import type { VerificationService } from '../../src/app/verification.ts';
import type { EnergyAuditService } from '../../src/app/energy.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices, referenceData } from '../../src/http/services.ts';
import type { Db } from '../../src/persistence/db.ts';
import { inRollback, type TestDatabase } from './db.ts';

export const CHARTS = referenceData().charts;
export const CATALOGUES = referenceData().catalogues;
export const DEMO: unknown = JSON.parse(readFileSync(new URL('../../fixtures/demo/registry.json', import.meta.url), 'utf8'));

/** Deterministic ids for tests: id-1, id-2, … */
export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export interface AppContext {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly registry: RegistryService;
  readonly verification: VerificationService;
  readonly energy: EnergyAuditService;
}

export async function withApp(database: TestDatabase, work: (ctx: AppContext) => Promise<void>, opts: { demo?: boolean } = {}): Promise<void> {
  const { db, kind } = await database.open();
  await inRollback(db, async (tx) => {
    const newId = sequentialIds();
    const services = createServices(tx, newId);
    if (opts.demo !== false) await loadRegistryData(services.unitOfWork, DEMO, newId, referenceData());
    const { registry, traceability, verification, energy, dcc } = services;
    const app = await buildApp({ registry, uncertainty: new UncertaintyService(), traceability, verification, energy, dcc, database: { kind, ping: async () => void (await tx.execute(sql`select 1`)) }, version: 'test' });
    try {
      await work({ app, db: tx, registry, verification, energy });
    } finally {
      await app.close();
    }
  });
}

/** Row counts of every registry table, to prove that a rejected request wrote nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = ['organisations', 'lab_scopes', 'equipment', 'calibration_records', 'record_references', 'measured_points', 'tolerance_findings', 'verification_policies', 'lab_capacities', 'verification_plans', 'energy_inventories', 'energy_audits', 'lab_cmcs'];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const res = (await db.execute(sql.raw(`select count(*)::int as n from ${t}`))) as unknown as { rows?: Array<{ n: number }> } & Array<{ n: number }>;
    const rows = res.rows ?? res;
    out[t] = Number(rows[0]!.n);
  }
  return out;
}
