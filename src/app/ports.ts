/**
 * What the use cases need from storage. persistence/ implements these over
 * drizzle; tests may implement them in memory. No SQL here.
 */
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
import type { ToleranceFinding } from '../core/traceability/chain.ts';
import type { EquipmentStatus, HierarchyLevel, OrganisationKind, QuantityKind, RecordKind, Usage } from '../core/registry/vocabulary.ts';

/** Keyset pagination: items after `after` (an id), ordered by id. */
export interface PageRequest {
  readonly limit: number;
  readonly after: string | null;
}

export interface Page<T> {
  readonly items: T[];
  /** The id to continue after, or null when this page is the last. */
  readonly lastId: string | null;
}

export interface OrganisationFilter {
  readonly kind?: OrganisationKind | undefined;
  readonly regionCode?: string | undefined;
}

export interface EquipmentFilter {
  readonly ownerId?: string | undefined;
  readonly quantity?: QuantityKind | undefined;
  readonly level?: HierarchyLevel | undefined;
  readonly category?: string | undefined;
  readonly usage?: Usage | undefined;
  readonly status?: EquipmentStatus | undefined;
  readonly assetCode?: string | undefined;
}

export interface RecordFilter {
  readonly subjectId?: string | undefined;
  readonly labId?: string | undefined;
  readonly kind?: RecordKind | undefined;
  readonly certificateNo?: string | undefined;
  readonly referenceId?: string | undefined;
}

/** A stored record with the id of the correction that supersedes it, if any. */
export interface StoredRecord {
  readonly record: CalibrationRecord;
  readonly supersededBy: string | null;
}

export interface UpwardClosure {
  readonly equipment: Map<string, Equipment>;
  readonly records: Map<string, CalibrationRecord[]>;
  readonly organisations: Map<string, Organisation>;
  readonly scopes: Map<string, LabScope[]>;
  readonly tolerance: Map<string, ToleranceFinding[]>;
}

export interface RegistryStore {
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (store: RegistryStore) => Promise<T>): Promise<T>;

  insertOrganisation(org: Organisation): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  getOrganisationsMany(ids: readonly string[]): Promise<Map<string, Organisation>>;
  listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>>;

  insertScope(scope: LabScope): Promise<void>;
  listScopes(labId: string): Promise<LabScope[]>;

  insertEquipment(equipment: Equipment): Promise<void>;
  getEquipment(id: string): Promise<Equipment | undefined>;
  getEquipmentMany(ids: readonly string[]): Promise<Map<string, Equipment>>;
  listEquipment(filter: EquipmentFilter, page: PageRequest): Promise<Page<Equipment>>;

  insertRecord(record: CalibrationRecord): Promise<void>;
  getRecord(id: string): Promise<StoredRecord | undefined>;
  listRecords(filter: RecordFilter, page: PageRequest): Promise<Page<StoredRecord>>;

  /**
   * Everything above some equipment in one go: the ids reachable upwards through
   * the references of current (not superseded) records, and their equipment,
   * records, labs, scopes and out-of-tolerance findings.
   */
  loadUpwardClosure(rootIds: readonly string[], maxEquipment: number): Promise<UpwardClosure>;

  /** Current records naming any of the given references, performed on or after that reference's date. */
  recordsUsingSince(references: ReadonlyArray<readonly [string, string]>): Promise<CalibrationRecord[]>;

  insertToleranceFinding(finding: ToleranceFinding & { readonly id: string; readonly remarks: string | null }): Promise<void>;
  listToleranceFindings(equipmentId: string): Promise<ToleranceFinding[]>;
}
