/**
 * Composing the use cases over one database: the stores, the reference data
 * (charts, catalogues) and an id generator. The server, the CLI and the tests
 * build their services here, so they cannot drift apart.
 */
import type { RegistryService } from '../app/registry.ts';
import type { TraceabilityService } from '../app/traceability.ts';
import type { VerificationService } from '../app/verification.ts';
import { EnergyAuditService } from '../app/energy.ts';
import { DccService } from '../app/dcc.ts';
import type { AccessService } from '../app/access.ts';
import { type Computations, inProcess } from '../app/computations.ts';
import { type LedgerService, NO_LEDGER_KEYS } from '../app/ledger.ts';
import { VisibilityService } from '../app/visibility.ts';
import { SupervisionService } from '../app/supervision.ts';
import type { LotService } from '../app/lots.ts';
import { ImportService } from '../app/imports.ts';
import { DrizzleImportStore } from '../persistence/import-store.ts';
import { DrizzleSupervisionStore } from '../persistence/supervision-store.ts';
import { INTEGRITY_RULES } from '../core/supervision/integrity.ts';
import { hmacSha256Hex, sha256BytesHex, sha256Hex } from '../runtime/digests.ts';
import { SessionService } from '../app/sessions.ts';
import { DrizzleSessionStore } from '../persistence/session-store.ts';
import { keyMaterial } from '../runtime/key-material.ts';
import { VERSION } from './version.ts';
import { DrizzleEnergyStore } from '../persistence/energy-store.ts';
import { DrizzleUnitOfWork } from '../persistence/unit-of-work.ts';
import type { NewId } from '../codecs/registry.ts';
import type { CalendarDate } from '../core/dates.ts';
import { today as ambientToday } from '../runtime/ambient.ts';
import { afterEachTransaction, type Db } from '../persistence/db.ts';
import type { DrizzleRegistryStore } from '../persistence/registry-store.ts';
import type { DrizzleVerificationStore } from '../persistence/verification-store.ts';
import { createVerificationServices, type ReferenceData, referenceData } from './verification-services.ts';
import { createAccessService } from './access-service.ts';
import { createLedgerService, type LedgerSetup } from './ledger-service.ts';

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

export { type ReferenceData, referenceData } from './verification-services.ts';

export type { LedgerSetup } from './ledger-service.ts';

/**
 * The services over one database. `today` is the registry's calendar (the
 * configured time zone's date by default): nothing that has happened may be
 * dated after it.
 */
export function createServices(
  database: Db,
  newId: NewId,
  data: ReferenceData = referenceData(),
  today: () => CalendarDate = ambientToday,
  computations: Computations = inProcess(),
  ledgerSetup: LedgerSetup = {},
): Services {
  const keys = ledgerSetup.keys ?? NO_LEDGER_KEYS;
  // every transaction's end ends a generation of the label answers kept (VerificationService.statusFacts)
  let transactionEnded = () => {};
  const db = afterEachTransaction(database, () => transactionEnded());
  const { store, verificationStore, filed, registry, traceability, lots, verification } = createVerificationServices(db, newId, data, today, keys);
  transactionEnded = () => verification.statusFacts.changed();
  const energyStore = new DrizzleEnergyStore(db, keys);
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
  const access = createAccessService(db, keys, registry);
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
    ledger: createLedgerService(db, ledgerSetup),
    visibility,
    unitOfWork,
    rules: { ...data, today },
  };
}
