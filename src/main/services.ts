/**
 * Composing the use cases over one database: the stores, the reference data
 * (charts, catalogues) and an id generator. The server, the CLI and the tests
 * build their services here, so they cannot drift apart.
 */
import { RegistryService } from '../app/registry.ts';
import { TraceabilityService } from '../app/traceability.ts';
import { VerificationService } from '../app/verification.ts';
import { EnergyAuditService } from '../app/energy.ts';
import { DccService } from '../app/dcc.ts';
import { AccessService } from '../app/access.ts';
import { type Computations, inProcess } from '../app/computations.ts';
import { LedgerService, NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { AnchorLog, LedgerKeys } from '../app/ports.ts';
import { VisibilityService } from '../app/visibility.ts';
import { SupervisionService } from '../app/supervision.ts';
import { LotService } from '../app/lots.ts';
import { DrizzleLotStore } from '../persistence/lot-store.ts';
import { regionPrefix } from '../core/verification/policy.ts';
import { ImportService } from '../app/imports.ts';
import { DrizzleImportStore } from '../persistence/import-store.ts';
import { DrizzleSupervisionStore } from '../persistence/supervision-store.ts';
import { INTEGRITY_RULES } from '../core/supervision/integrity.ts';
import { hmacSha256Hex, sha256BytesHex, sha256Hex } from '../runtime/digests.ts';
import { DrizzleLedgerStore } from '../persistence/ledger-store.ts';
import { DrizzleFiledCertificateStore } from '../persistence/filed-certificate-store.ts';
import { DrizzleAccessStore } from '../persistence/access-store.ts';
import { SessionService } from '../app/sessions.ts';
import { DrizzleSessionStore } from '../persistence/session-store.ts';
import { keyMaterial } from '../runtime/key-material.ts';
import { VERSION } from './version.ts';
import type { EnergyRules } from '../core/energy/rules.ts';
import { DrizzleEnergyStore } from '../persistence/energy-store.ts';
import { DrizzleUnitOfWork } from '../persistence/unit-of-work.ts';
import type { NewId } from '../codecs/registry.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { Equipment } from '../core/registry/types.ts';
import type { Catalogue } from '../core/verification/catalogue.ts';
import { today as ambientToday } from '../runtime/ambient.ts';
import type { Db } from '../persistence/db.ts';
import { DrizzleRegistryStore } from '../persistence/registry-store.ts';
import { DrizzleVerificationStore } from '../persistence/verification-store.ts';
import { loadCharts } from '../runtime/charts.ts';
import { loadCatalogues, loadEnergyRules } from '../runtime/reference-data.ts';

export interface Services {
  readonly store: DrizzleRegistryStore;
  readonly verificationStore: DrizzleVerificationStore;
  readonly registry: RegistryService;
  readonly traceability: TraceabilityService;
  readonly verification: VerificationService;
  readonly energy: EnergyAuditService;
  readonly dcc: DccService;
  readonly access: AccessService;
  readonly ledger: LedgerService;
  readonly visibility: VisibilityService;
  readonly supervision: SupervisionService;
  readonly lots: LotService;
  /** Register imports (issue #21). */
  readonly imports: ImportService;
  /** Web-page sessions at /app (issue #21). */
  readonly sessions: SessionService;
  /** One transaction over every store (data set loads). */
  readonly unitOfWork: DrizzleUnitOfWork;
  /** The reference data and calendar these services check against (what a data set load needs too). */
  readonly rules: ReferenceData & { readonly today: () => CalendarDate };
}

export interface ReferenceData {
  readonly charts: readonly VerificationChart[];
  readonly catalogues: readonly Catalogue[];
  readonly energyRules: EnergyRules;
}

let cached: ReferenceData | undefined;

/** The charts and catalogues shipped with the project, read once. */
export function referenceData(): ReferenceData {
  return (cached ??= { charts: loadCharts(), catalogues: loadCatalogues(), energyRules: loadEnergyRules() });
}

/** The ledger's key ring and anchor log, both kept outside the database (runtime/ledger-keys.ts). */
export interface LedgerSetup {
  /** Every ledger entry written is signed with the ring's newest key; without one, entries go unsigned and verification says it could not check MACs. */
  readonly keys?: LedgerKeys;
  readonly anchors?: AnchorLog | null;
}

/**
 * The services over one database. `today` is the registry's calendar (the
 * configured time zone's date by default): nothing that has happened may be
 * dated after it.
 */
export function createServices(
  db: Db,
  newId: NewId,
  data: ReferenceData = referenceData(),
  today: () => CalendarDate = ambientToday,
  computations: Computations = inProcess(),
  ledgerSetup: LedgerSetup = {},
): Services {
  const keys = ledgerSetup.keys ?? NO_LEDGER_KEYS;
  const store = new DrizzleRegistryStore(db, keys);
  const verificationStore = new DrizzleVerificationStore(db, keys);
  const energyStore = new DrizzleEnergyStore(db, keys);
  const registry = new RegistryService({ store, newId, catalogues: data.catalogues, charts: data.charts, today });
  const mandatory = (e: Equipment, at: CalendarDate) => registry.mandatory(e, at);
  const filed = new DrizzleFiledCertificateStore(db, keys);
  const intervalMonths = (e: Equipment, at: CalendarDate) => registry.intervalMonths(e, at);
  const traceability = new TraceabilityService({ store, charts: data.charts, newId, mandatory, intervalMonths, today, filed });
  const lots = new LotService({
    store: new DrizzleLotStore(db, keys),
    registry: store,
    catalogues: data.catalogues,
    newId,
    today,
    hmac: hmacSha256Hex,
    sha256: sha256Hex,
    policies: (asKnownAt) => verificationStore.listPolicies(undefined, asKnownAt ?? null),
    // the rotation plan's meters outside lots come from the due list (verification is made just below)
    due: (f) => verification.due(f),
    // an inspector's or auditor's key acts in its regulator's region; other keys are confined by organisation instead
    regionOf: async (caller) => {
      if (caller.kind !== 'key' || (caller.role !== 'inspector' && caller.role !== 'auditor')) return null;
      const org = await store.getOrganisation(caller.organisationId ?? '');
      return org ? regionPrefix(org.regionCode) : '\u0000';
    },
  });
  const verification: VerificationService = new VerificationService({
    registry: store,
    store: verificationStore,
    traceability,
    catalogues: data.catalogues,
    newId,
    lots,
  });
  const energy = new EnergyAuditService({ store: energyStore, verification, rules: data.energyRules, newId });
  const unitOfWork = new DrizzleUnitOfWork(db, keys);
  const dcc = new DccService({
    registry,
    traceability,
    software: { name: 'metrotrace', release: VERSION },
    parse: (xml) => computations.readDcc(xml),
    filed,
    unitOfWork,
    today,
    newId,
  });
  const visibility = new VisibilityService({ registry: store, energy: energyStore, verification: verificationStore });
  const access = new AccessService({
    store: new DrizzleAccessStore(db, keys),
    material: keyMaterial,
    organisationKind: async (id) => (await registry.getOrganisation(id)).kind,
  });
  const supervision = new SupervisionService({
    store: new DrizzleSupervisionStore(db, keys),
    unitOfWork,
    registry,
    verification,
    newId,
    today,
    hmac: hmacSha256Hex,
    sha256: sha256Hex,
    integrityRules: INTEGRITY_RULES,
  });
  const imports = new ImportService({
    registry,
    store,
    jobs: new DrizzleImportStore(db),
    // exceljs is loaded only when a file is read
    readTable: async (format, bytes) => (await import('../runtime/spreadsheet.ts')).readTable(format, bytes),
    sha256: sha256BytesHex,
    newId,
    now: () => new Date().toISOString(),
  });
  const sessions = new SessionService({
    store: new DrizzleSessionStore(db),
    access,
    newSecret: keyMaterial.newSecret,
    hash: keyMaterial.hash,
    now: () => new Date(),
  });
  return {
    sessions,
    store,
    verificationStore,
    registry,
    traceability,
    verification,
    energy,
    dcc,
    access,
    supervision,
    lots,
    imports,
    ledger: new LedgerService(new DrizzleLedgerStore(db), { keys, anchors: ledgerSetup.anchors ?? null }),
    visibility,
    unitOfWork,
    rules: { ...data, today },
  };
}
