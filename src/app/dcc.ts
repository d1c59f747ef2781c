/**
 * Digital Calibration Certificates: export a calibration record as a DCC, and
 * import a DCC received from an external lab as a calibration record of one of
 * our standards (through the same checks as any record), reporting what could
 * not be mapped.
 */
import { type DccImport, readDcc, writeDcc } from '../codecs/dcc.ts';
import { componentSet, readSidecar, type Sidecar, writeSidecar } from '../codecs/dcc-sidecar.ts';
import type { Decimal } from '../core/numeric/decimal.ts';
import { correlationOfComponents } from '../core/uncertainty/shared-components.ts';
import { conformingRecord } from '../codecs/registry.ts';
import { type ImportRequest, readImportRequest } from '../codecs/dcc-request.ts';
import { fail } from '../core/errors.ts';
import type { FiledCertificateFilter, FiledCertificateStore, Page, PageRequest, RegistryStore, StoredRecord, UnitOfWork } from './ports.ts';
import type { Caller } from '../core/access/roles.ts';
import type { CalendarDate } from '../core/dates.ts';
import { checkFiledDecider, type FiledCertificate, filedState } from '../core/registry/filed-certificate.ts';
import { checkNotFuture } from '../core/registry/rules.ts';
import type { CalibrationRecord } from '../core/registry/types.ts';
import type { RegistryService } from './registry.ts';
import type { TraceabilityService } from './traceability.ts';

export interface DccDeps {
  readonly registry: RegistryService;
  readonly traceability: TraceabilityService;
  readonly software: { readonly name: string; readonly release: string };
  /** Reads a DCC document (off the main thread, with limits, on the server). */
  readonly parse?: (xml: string) => Promise<DccImport>;
  readonly filed: FiledCertificateStore;
  readonly unitOfWork: UnitOfWork;
  readonly today: () => CalendarDate;
  readonly newId: () => string;
}

/** Who files or decides: a key, and the organisation it is bound to (none for an admin). */
export interface Actor {
  readonly keyId: string;
  readonly organisationId: string | null;
}

export class DccService {
  private readonly registry: RegistryService;
  private readonly traceability: TraceabilityService;
  private readonly parse: (xml: string) => Promise<DccImport>;

  constructor(private readonly deps: DccDeps) {
    this.registry = deps.registry;
    this.traceability = deps.traceability;
    this.parse = deps.parse ?? (async (xml) => readDcc(xml));
  }

  async exportDcc(recordId: string): Promise<string> {
    const { record } = await this.registry.getRecord(recordId);
    if (record.kind !== 'calibration') fail('NOT_APPLICABLE', '', `record '${recordId}' is a verification; a DCC is issued for a calibration`);
    const [subject, lab] = await Promise.all([this.registry.getEquipment(record.subjectId), this.registry.getOrganisation(record.labId)]);
    const [owner, references, trace] = await Promise.all([
      this.registry.store.getOrganisation(subject.ownerId),
      this.registry.store.getEquipmentMany(record.referenceIds),
      this.traceability.trace(record.subjectId, record.performedOn),
    ]);
    const above = trace.findings.filter((f) => f.equipmentId !== record.subjectId);
    const traceability =
      record.referenceIds.length === 0
        ? 'No reference standard is recorded for this calibration.'
        : above.length === 0
          ? `The results are traceable to the national primary standards through ${record.referenceIds.join(', ')} (metrotrace chain resolution at ${record.performedOn}: no finding).`
          : `The chain above ${record.referenceIds.join(', ')} had findings at ${record.performedOn}: ${above.map((f) => `${f.code} at ${f.equipmentId}`).join('; ')}.`;
    return writeDcc({ record, subject, lab, owner: owner ?? null, references, software: this.deps.software, traceability });
  }

  /** The sidecar of a calibration record: its chain's relative uncertainty and components by influence. */
  async sidecar(recordId: string): Promise<Sidecar> {
    const { record } = await this.registry.getRecord(recordId);
    const stored = await this.registry.store.getSidecar(recordId);
    if (stored !== undefined) return readSidecar(stored, '');
    const c = await this.traceability.uncertainty(record.subjectId, record.performedOn);
    if (c.u === null) fail('NOT_APPLICABLE', '', `certificate ${record.certificateNo}: ${c.reason}; there is no chain uncertainty to hand over`);
    return {
      certificateNo: record.certificateNo,
      relativeStandardUncertainty: c.u,
      components: c.budget.map((x) => ({ influence: x.label, equipmentId: x.equipmentId, level: x.level, component: x.component })),
    };
  }

  /** The correlation of two calibration results through the influences their sidecars share. */
  async correlation(a: string, b: string): Promise<{ r: Decimal; shared: string[] }> {
    const [sa, sb] = await Promise.all([this.sidecar(a), this.sidecar(b)]);
    return correlationOfComponents(componentSet(sa), componentSet(sb));
  }

  /**
   * Imports a DCC for one of our equipment, performed by the lab the request
   * names, as a calibration record (through every rule a lab's own record
   * passes). The record keeps the certificate's identifier, dates and digits;
   * references are the measuring equipment the certificate names that exist
   * here (each checked as valid on the day), the others are kept as external
   * references. `admit` may refuse the mapped record before anything is
   * written (the caller's rights).
   */
  async importDcc(
    req: ImportRequest,
    admit?: (r: Pick<CalibrationRecord, 'labId' | 'subjectId' | 'performedOn'>) => Promise<void>,
  ): Promise<{ record: StoredRecord; unmapped: readonly string[] }> {
    const prepared = await this.prepare(req);
    if (admit) await admit(prepared.draft);
    const record = await this.registry.createRecord(this.recordOf(prepared), prepared.alongside);
    return { record, unmapped: prepared.unmapped };
  }

  /** The record a DCC maps to, held to the record's contract, with the id the request gives or one drawn. */
  private recordOf(prepared: { id: string | null; draft: Omit<CalibrationRecord, 'id'> }): CalibrationRecord {
    return conformingRecord({ id: prepared.id ?? this.registry.newId(), ...prepared.draft });
  }

  /** The record a DCC import request maps to (all but its id), with its sidecar and what could not be mapped. */
  private async prepare(req: ImportRequest) {
    const dcc: DccImport = await this.parse(req.xml);
    const { sidecar } = req;
    if (sidecar && sidecar.certificateNo !== dcc.record.certificateNo)
      fail('INVALID_FIELD', '/sidecar/certificateNo', `the sidecar is for certificate ${sidecar.certificateNo}, the DCC is ${dcc.record.certificateNo}`);
    // A DCC that states no validity (and a request that gives none) makes a calibration without one:
    // its validity then follows the owner's interval policy, or it has none (core/registry/validity.ts).
    const until = req.validUntil ?? dcc.record.validUntil ?? null;
    // only an identification the calibration laboratory issued can name one of ours; a
    // manufacturer's serial number that happens to equal an id here does not
    const known = await this.registry.store.getEquipmentMany(dcc.measuringEquipment.filter((m) => m.issuedByLab).map((m) => m.value));
    const ours = (m: { value: string; issuedByLab: boolean }) => m.issuedByLab && known.has(m.value);
    // 送检单位 only when it is not the owner: a certificate that names the owner as its customer says nothing more
    const subject = await this.registry.store.getEquipment(req.subjectId);
    const owner = subject ? await this.registry.store.getOrganisation(subject.ownerId) : undefined;
    const customerName = dcc.record.customerName != null && dcc.record.customerName !== owner?.name ? dcc.record.customerName : null;
    const draft: Omit<CalibrationRecord, 'id'> = {
      kind: 'calibration',
      subjectId: req.subjectId,
      labId: req.labId,
      referenceIds: dcc.measuringEquipment.filter(ours).map((m) => m.value),
      // standards outside this registry stay what the certificate says they were, marked external
      externalReferences: dcc.measuringEquipment.filter((m) => !ours(m)).map((m) => m.value),
      certificateNo: dcc.record.certificateNo,
      performedOn: dcc.record.performedOn,
      validUntil: until,
      conformity: null,
      points: dcc.record.points,
      supersedes: null,
      remarks: dcc.record.remarks,
      decisionRule: null,
      conditions: dcc.record.conditions ?? [],
      verificationType: null,
      procedure: dcc.record.procedure ?? null,
      verifier: dcc.record.verifier ?? null,
      checker: dcc.record.checker ?? null,
      approver: dcc.record.approver ?? null,
      certificateKind: null,
      labelNo: null,
      sealNo: null,
      customerName,
    };
    const alongside = sidecar ? (store: RegistryStore, rec: CalibrationRecord) => store.insertSidecar(rec.id, writeSidecar(sidecar)) : undefined;
    return { id: req.id, draft, alongside, unmapped: dcc.unmapped, certificateNo: dcc.record.certificateNo, performedOn: dcc.record.performedOn };
  }

  /**
   * Files a DCC the equipment's owner received from the lab it names, as
   * unverified evidence (core/registry/filed-certificate.ts): kept, and counting
   * for nothing until that lab or an admin confirms it. The document must read,
   * the equipment be the filer's, the lab exist, the date be past and the number
   * not already recorded or filed.
   */
  async fileDcc(req: ImportRequest, filer: Actor): Promise<FiledCertificate> {
    const [subject, lab] = await Promise.all([this.registry.getEquipment(req.subjectId), this.registry.store.getOrganisation(req.labId)]);
    if (subject.ownerId !== filer.organisationId)
      fail('FORBIDDEN', '/subjectId', `'${subject.id}' belongs to '${subject.ownerId}'; an owner files certificates of its own equipment only`);
    if (!lab)
      fail(
        'UNKNOWN_REFERENCE',
        '/labId',
        `no organisation has id '${req.labId}'; the lab that issued the certificate must be registered before its certificate can be filed`,
      );
    const prepared = await this.prepare(req);
    checkNotFuture(prepared.performedOn as CalendarDate, this.deps.today(), '/xml', 'the calibration');
    const [recorded, filed] = await Promise.all([
      this.registry.store.recordByCertificate(prepared.certificateNo),
      this.deps.filed.standingByCertificate(prepared.certificateNo),
    ]);
    if (recorded)
      fail(
        'DUPLICATE',
        '/xml',
        `certificate '${prepared.certificateNo}' is already recorded (record '${recorded.record.id}' of '${recorded.record.subjectId}')`,
      );
    if (filed) fail('DUPLICATE', '/xml', `certificate '${prepared.certificateNo}' was already filed as '${filed.id}' (${filedState(filed)})`);
    const id = this.deps.newId();
    await this.deps.filed.insert({
      id,
      subjectId: req.subjectId,
      labId: req.labId,
      certificateNo: prepared.certificateNo,
      performedOn: prepared.performedOn as CalendarDate,
      filedBy: filer.organisationId,
      filedByKey: filer.keyId,
      request: {
        xml: req.xml,
        ...(req.sidecar ? { sidecar: writeSidecar(req.sidecar) } : {}),
        ...(req.validUntil ? { validUntil: req.validUntil } : {}),
        ...(req.id ? { id: req.id } : {}),
      },
      unmapped: [...prepared.unmapped],
    });
    return this.getFiled(id);
  }

  async getFiled(id: string): Promise<FiledCertificate> {
    return (await this.deps.filed.get(id)) ?? fail('NOT_FOUND', '', `no filed certificate has id '${id}'`);
  }

  listFiled(filter: FiledCertificateFilter, page: PageRequest): Promise<Page<FiledCertificate>> {
    return this.deps.filed.list(filter, page);
  }

  /**
   * The issuing lab (or an admin) confirms a filed certificate: it becomes a
   * calibration record through every rule a lab's own record passes (the lab's
   * authority, references valid on the day, CMC…), in the same transaction as
   * the decision. A refused record leaves the filing pending.
   */
  async confirmFiled(caller: Caller, id: string): Promise<{ filed: FiledCertificate; record: StoredRecord }> {
    const filed = await this.getFiled(id);
    checkFiledDecider(caller, filed);
    const actor = actorOf(caller);
    const prepared = await this.prepare(readImportRequest({ ...filed.request, subjectId: filed.subjectId, labId: filed.labId }));
    if (caller.kind === 'key' && caller.role === 'lab') await this.registry.checkRecordWriter(caller, prepared.draft);
    const record = await this.deps.unitOfWork.transaction(async (stores) => {
      checkFiledDecider(caller, (await stores.filed.get(id))!);
      const stored = await this.registry.appendRecord(stores.registry, this.recordOf(prepared), prepared.alongside);
      await stores.filed.decide(id, {
        decision: 'confirmed',
        recordId: stored.record.id,
        decidedByKey: actor.keyId,
        decidedByOrganisation: actor.organisationId,
      });
      return stored;
    });
    return { filed: await this.getFiled(id), record };
  }

  /** The issuing lab (or an admin) rejects a filed certificate, saying why (codecs/filed-certificate.ts reads the reason); it stays on file, counting for nothing. */
  async rejectFiled(caller: Caller, id: string, reason: string): Promise<FiledCertificate> {
    const filed = await this.getFiled(id);
    checkFiledDecider(caller, filed);
    const actor = actorOf(caller);
    await this.deps.filed.decide(id, { decision: 'rejected', reason, decidedByKey: actor.keyId, decidedByOrganisation: actor.organisationId });
    return this.getFiled(id);
  }
}

function actorOf(caller: Caller): Actor {
  if (caller.kind !== 'key') fail('UNAUTHORISED', '', 'a key is needed to decide on a filed certificate');
  return { keyId: caller.keyId, organisationId: caller.organisationId };
}
