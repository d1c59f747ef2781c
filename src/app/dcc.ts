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
import { ObjectReader } from '../codecs/reader.ts';
import { ID_HINT, ID_PATTERN } from '../codecs/registry.ts';
import { fail } from '../core/errors.ts';
import type { StoredRecord } from './ports.ts';
import type { RegistryService } from './registry.ts';
import type { TraceabilityService } from './traceability.ts';

export class DccService {
  constructor(
    private readonly registry: RegistryService,
    private readonly traceability: TraceabilityService,
    private readonly software: { readonly name: string; readonly release: string },
    /** Reads a DCC document (off the main thread, with limits, on the server). */
    private readonly parse: (xml: string) => Promise<DccImport> = async (xml) => readDcc(xml),
  ) {}

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
    return writeDcc({ record, subject, lab, owner: owner ?? null, references, software: this.software, traceability });
  }

  /** The sidecar of a calibration record: its chain's relative uncertainty and components by influence. */
  async sidecar(recordId: string): Promise<Sidecar> {
    const { record } = await this.registry.getRecord(recordId);
    const stored = await this.registry.store.getSidecar(recordId);
    if (stored !== undefined) return readSidecar(stored, '');
    const c = await this.traceability.uncertainty(record.subjectId, record.performedOn);
    if (c.u === null) fail('NOT_APPLICABLE', '', `certificate ${record.certificateNo}: ${c.reason}; there is no chain uncertainty to hand over`);
    return { certificateNo: record.certificateNo, relativeStandardUncertainty: c.u, components: c.budget.map((x) => ({ influence: x.label, equipmentId: x.equipmentId, level: x.level, component: x.component })) };
  }

  /** The correlation of two calibration results through the influences their sidecars share. */
  async correlation(a: string, b: string): Promise<{ r: Decimal; shared: string[] }> {
    const [sa, sb] = await Promise.all([this.sidecar(a), this.sidecar(b)]);
    return correlationOfComponents(componentSet(sa), componentSet(sb));
  }

  /**
   * Imports a DCC for one of our equipment, performed by `labId`. The record
   * keeps the certificate's identifier, dates and digits; references are the
   * measuring equipment the certificate names that exist here (each checked
   * as valid on the day), the others are kept as external references.
   */
  /** `admit` may refuse the mapped record before anything is written (the caller's rights). */
  async importDcc(raw: unknown, admit?: (r: { labId: string; subjectId: string; performedOn: string }) => Promise<void>): Promise<{ record: StoredRecord; unmapped: readonly string[] }> {
    const r = ObjectReader.of(raw, '', 'a DCC import request');
    const xml = r.string('xml', { max: 5_000_000 });
    const sidecar = r.has('sidecar') ? readSidecar(r.value('sidecar'), '/sidecar') : (r.value('sidecar'), null);
    const subjectId = r.string('subjectId', { pattern: ID_PATTERN, hint: ID_HINT });
    const labId = r.string('labId', { pattern: ID_PATTERN, hint: ID_HINT });
    const validUntil = r.optionalDate('validUntil');
    const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT });
    r.done();
    const dcc: DccImport = await this.parse(xml);
    if (sidecar && sidecar.certificateNo !== dcc.record.certificateNo) fail('INVALID_FIELD', '/sidecar/certificateNo', `the sidecar is for certificate ${sidecar.certificateNo}, the DCC is ${dcc.record.certificateNo}`);
    const until = validUntil ?? dcc.record.validUntil ?? fail('MISSING_FIELD', '/validUntil', 'the DCC states no validity; give validUntil for the record');
    if (admit) await admit({ labId, subjectId, performedOn: dcc.record.performedOn });
    // only an identification the calibration laboratory issued can name one of ours; a
    // manufacturer's serial number that happens to equal an id here does not
    const known = await this.registry.store.getEquipmentMany(dcc.measuringEquipment.filter((m) => m.issuedByLab).map((m) => m.value));
    const ours = (m: { value: string; issuedByLab: boolean }) => m.issuedByLab && known.has(m.value);
    const unmapped = dcc.unmapped;
    const record = await this.registry.createRecord({
      ...(id ? { id } : {}),
      kind: 'calibration',
      subjectId,
      labId,
      referenceIds: dcc.measuringEquipment.filter(ours).map((m) => m.value),
      // standards outside this registry stay what the certificate says they were, marked external
      externalReferences: dcc.measuringEquipment.filter((m) => !ours(m)).map((m) => m.value),
      certificateNo: dcc.record.certificateNo,
      performedOn: dcc.record.performedOn,
      validUntil: until,
      points: dcc.record.points.map((p) => ({ nominal: p.nominal, asFound: p.asFound, asLeft: p.asLeft, expandedUncertainty: p.expandedUncertainty, coverageFactor: p.coverageFactor, unit: p.unit })),
      remarks: dcc.record.remarks,
      conditions: (dcc.record.conditions ?? []).map((c) => ({ ...c })),
    }, sidecar ? (store, rec) => store.insertSidecar(rec.id, writeSidecar(sidecar)) : undefined);
    return { record, unmapped };
  }
}
