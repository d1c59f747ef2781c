/** Building the app over a rolled-back transaction of a test database, with the demo data loaded (once per process, see demoLoaded). */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadRegistryData } from '../../src/app/demo.ts';
import type { RegistryService } from '../../src/app/registry.ts';
import { inProcess } from '../../src/app/computations.ts';
import type { VerificationService } from '../../src/app/verification.ts';
import type { EnergyAuditService } from '../../src/app/energy.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices, referenceData } from '../../src/main/services.ts';
import type { Db } from '../../src/persistence/db.ts';
import { countOf, inRollback, type TestDatabase } from './db.ts';
import { TEST_LEDGER_KEYS } from './ledger.ts';
import type { AccessService } from '../../src/app/access.ts';
import type { Role } from '../../src/core/access/roles.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { AppDeps, Protection } from '../../src/http/app.ts';

/** The date key expiry is judged against in tests. */
export const TEST_TODAY = '2026-11-25' as CalendarDate;

export const CHARTS = referenceData().charts;
export const CATALOGUES = referenceData().catalogues;
/** The rules a data set load is checked against in tests: the shipped reference data, judged on TEST_TODAY. */
export const TEST_RULES = { ...referenceData(), today: () => TEST_TODAY };
export const DEMO: unknown = JSON.parse(readFileSync(new URL('../../fixtures/demo/registry.json', import.meta.url), 'utf8'));

/** Deterministic ids for tests: id-1, id-2, … */
export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export interface AppContext {
  /** The app; its inject() sends an admin key unless the request sets its own authorization (or `anonymous()`). */
  readonly app: FastifyInstance;
  readonly access: AccessService;
  /** A fresh key of a role (bound to an organisation unless admin). */
  keyFor(role: Role, organisationId?: string | null): Promise<string>;
  readonly db: Db;
  readonly registry: RegistryService;
  readonly verification: VerificationService;
  readonly energy: EnergyAuditService;
}

/** Headers of a request made without any key (the public). */
export const ANONYMOUS = { authorization: undefined } as const;

/**
 * Makes every inject() carry a default key, as a configured client would. A
 * request that sets its own `authorization` header keeps it; one that sets it
 * to undefined goes out without any (the public).
 */
function withDefaultKey(app: FastifyInstance, token: string): void {
  const inject = app.inject.bind(app) as (o: unknown) => Promise<unknown>;
  (app as unknown as { inject: unknown }).inject = (opts: string | { url?: string; headers?: Record<string, unknown> }) => {
    const o: { url?: string; headers?: Record<string, unknown> } = typeof opts === 'string' ? { url: opts } : opts;
    const headers: Record<string, unknown> = { authorization: `Bearer ${token}`, ...o.headers };
    if (headers.authorization === undefined) delete headers.authorization;
    return inject({ ...o, headers });
  };
}

const demoLoads = new Map<TestDatabase['name'], Promise<number>>();

/**
 * Loads the demo once per process into the database of preloaded data,
 * committed, through the same services and rules a test's app uses; every
 * test then runs in a rolled-back transaction over it. Loading it in each
 * test's own transaction instead cost a second or more a test. Resolves to
 * the number of ids the load drew.
 */
function demoLoaded(database: TestDatabase): Promise<number> {
  let load = demoLoads.get(database.name);
  if (!load) {
    load = (async () => {
      const { db } = await database.openPreloaded();
      const ids = sequentialIds();
      let drawn = 0;
      const newId = () => {
        drawn++;
        return ids();
      };
      const services = createServices(db, newId, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
      await loadRegistryData(services.unitOfWork, DEMO, newId, services.rules);
      return drawn;
    })();
    demoLoads.set(database.name, load);
  }
  return load;
}

export async function withApp(
  database: TestDatabase,
  work: (ctx: AppContext) => Promise<void>,
  opts: {
    demo?: boolean;
    protection?: Partial<Protection>;
    publicUrl?: string;
    rateLimitRedis?: AppDeps['rateLimitRedis'];
    trustProxy?: AppDeps['trustProxy'];
    logger?: AppDeps['logger'];
    /** The server's calendar (default TEST_TODAY), for a test that moves it. */
    today?: () => CalendarDate;
  } = {},
): Promise<void> {
  const demo = opts.demo !== false;
  const { db, kind } = demo ? await database.openPreloaded() : await database.open();
  const idsDrawnByDemo = demo ? await demoLoaded(database) : 0;
  await inRollback(db, async (tx) => {
    const newId = sequentialIds();
    // the ids the demo's load drew (ids of events it names none for): the test goes on from there, as if it had loaded it
    for (let i = 0; i < idsDrawnByDemo; i++) newId();
    const services = createServices(tx, newId, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
    const { registry, traceability, verification, energy, dcc, access, ledger, visibility, supervision, lots, imports, sessions } = services;
    const app = await buildApp({
      registry,
      computations: inProcess(),
      traceability,
      verification,
      energy,
      dcc,
      access,
      ledger,
      visibility,
      supervision,
      lots,
      imports,
      sessions,
      database: { kind, ping: async () => void (await tx.execute(sql`select 1`)) },
      version: 'test',
      protection: { publicPerMinute: 0, keyPerMinute: 0, ...opts.protection },
      today: opts.today ?? (() => TEST_TODAY),
      publicUrl: opts.publicUrl,
      rateLimitRedis: opts.rateLimitRedis,
      trustProxy: opts.trustProxy,
      logger: opts.logger,
    });
    const keyFor = async (role: Role, organisationId: string | null = null) =>
      (await access.issue({ role, organisationId, label: `test ${role}` }, TEST_TODAY)).token;
    withDefaultKey(app, await keyFor('admin'));
    try {
      await work({ app, db: tx, registry, verification, energy, access, keyFor });
    } finally {
      await app.close();
    }
  });
}

/** Row counts of every registry table, to prove that a rejected request wrote nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'organisations',
    'lab_scopes',
    'equipment',
    'calibration_records',
    'record_references',
    'measured_points',
    'tolerance_findings',
    'verification_policies',
    'lab_capacities',
    'verification_plans',
    'energy_inventories',
    'energy_audits',
    'lab_cmcs',
    'api_keys',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    out[t] = await countOf(db, `select count(*)::int as n from ${t}`);
  }
  return out;
}

/**
 * A lot of the market's water meters in service (the wire shape): serials
 * WM000`from` to WM000`to`, installed in 2020, in the mall's district.
 */
export const lotOfMeters = (id: string, from: number, to: number) => ({
  id,
  category: 'MV004',
  model: 'LXS-15E',
  patternApprovalNo: '2019C123-31',
  manufacturer: '宁波水表',
  batch: 'B2020-07',
  installedFrom: '2020-07-01',
  installedTo: '2020-09-30',
  region: '310104',
  registeredOn: '2026-01-05',
  members: { serialRanges: [{ prefix: 'WM', from, to, width: 6 }] },
});

/** The hospital's ward scale, not in the demo, under asset code LH-42 as the market's stall 42 is (the wire shape). */
export const HOSPITAL_LH_42 = {
  id: 'hosp-lh-42',
  ownerId: 'city-hospital',
  name: 'Ward scale',
  assetCode: 'LH-42',
  quantity: 'mass',
  range: { min: '0', max: '30', unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'III' },
  level: 'working_instrument',
  usage: 'other',
};

/** A trade scale of the market's, not in the demo, as its owner would register it (the wire shape, without an id). */
export const NEW_SCALE = {
  ownerId: 'city-market',
  name: 'Price-computing scale, stall 99',
  assetCode: 'LH-99',
  quantity: 'mass',
  range: { min: '0.04', max: '30', unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'III' },
  level: 'working_instrument',
  category: 'MV016',
  usage: 'trade_settlement',
};

/** A trade scale its owner registered as suspended (暂停使用): not in use, so neither counted nor due. */
export const SUSPENDED_SCALE = {
  id: 'scale-stall-99',
  ...NEW_SCALE,
  name: 'Electronic price-computing scale, stall 99 (stored)',
  status: 'suspended',
};
