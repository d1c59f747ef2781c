/**
 * The part of the composition that the status of an instrument needs: the
 * registry and verification stores, the registry, traceability, lots and
 * verification services, and the reference data. createServices (services.ts)
 * builds its services on this, so the two cannot drift apart; a command that
 * only asks for a status (`metrotrace status`, due, plan, interval) builds
 * just this part and loads none of the rest (DCC, uncertainty and mathjs,
 * energy, supervision, imports, sessions).
 */
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import { LotService } from '../app/lots.ts';
import type { LedgerKeys } from '../app/ports.ts';
import { RegistryService } from '../app/registry.ts';
import { TraceabilityService } from '../app/traceability.ts';
import { VerificationService } from '../app/verification.ts';
import type { NewId } from '../codecs/registry.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { EnergyRules } from '../core/energy/rules.ts';
import type { Equipment } from '../core/registry/types.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';
import type { Catalogue } from '../core/verification/catalogue.ts';
import { regionPrefix } from '../core/verification/policy.ts';
import type { Db } from '../persistence/db.ts';
import { DrizzleFiledCertificateStore } from '../persistence/filed-certificate-store.ts';
import { DrizzleLotStore } from '../persistence/lot-store.ts';
import { DrizzleRegistryStore } from '../persistence/registry-store.ts';
import { DrizzleVerificationStore } from '../persistence/verification-store.ts';
import { today as ambientToday } from '../runtime/ambient.ts';
import { loadCharts } from '../runtime/charts.ts';
import { hmacSha256Hex, sha256Hex } from '../runtime/digests.ts';
import { loadCatalogues, loadEnergyRules } from '../runtime/reference-data.ts';

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

export interface VerificationServices {
  readonly store: DrizzleRegistryStore;
  readonly verificationStore: DrizzleVerificationStore;
  readonly filed: DrizzleFiledCertificateStore;
  readonly registry: RegistryService;
  readonly traceability: TraceabilityService;
  readonly verification: VerificationService;
  readonly lots: LotService;
}

/**
 * The registry, traceability, lots and verification services over one
 * database (see createServices for the parameters).
 */
export function createVerificationServices(
  db: Db,
  newId: NewId,
  data: ReferenceData = referenceData(),
  today: () => CalendarDate = ambientToday,
  keys: LedgerKeys = NO_LEDGER_KEYS,
): VerificationServices {
  const store = new DrizzleRegistryStore(db, keys);
  const verificationStore = new DrizzleVerificationStore(db, keys);
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
    elapsedMs: () => performance.now(),
  });
  return { store, verificationStore, filed, registry, traceability, verification, lots };
}
