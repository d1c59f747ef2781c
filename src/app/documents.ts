/**
 * Printable documents of a record: the certificate (检定证书 / 检定结果通知书 /
 * 校准证书) and the label (合格证) with its QR code. This gathers what they
 * show — the record, the instrument and its owner as they were on the
 * performance date, the lab, and every standard used with its own
 * certificate and its 计量标准考核证书 as they stood that day — into the views
 * the codecs render. Who may read a record is checked before (app/visibility.ts).
 */
import type { CertificateView, StandardUsed } from '../codecs/certificate-html.ts';
import type { LabelSvgView } from '../codecs/label-svg.ts';
import { lookupUrl } from '../codecs/label-svg.ts';
import { fail, MetrologyError } from '../core/errors.ts';
import { equipmentAt } from '../core/registry/events.ts';
import type { CalibrationRecord } from '../core/registry/types.ts';
import { documentOf } from '../core/registry/vocabulary.ts';
import { recordAt } from '../core/traceability/chain.ts';
import type { StoredRecord } from './ports.ts';
import type { RegistryService } from './registry.ts';
import type { TraceabilityService } from './traceability.ts';

export class DocumentService {
  constructor(private readonly deps: { readonly registry: RegistryService; readonly traceability: TraceabilityService }) {}

  /** Everything the printed certificate of record `id` shows. */
  async certificate(id: string): Promise<CertificateView> {
    const stored = await this.deps.registry.getRecord(id);
    const record = stored.record;
    const [subject, lab, standards] = await Promise.all([
      this.deps.registry.equipmentAt(record.subjectId, record.performedOn),
      this.deps.registry.getOrganisation(record.labId),
      this.standardsUsed(record),
    ]);
    const instrument = subject.equipment;
    // the owner is registered before its instruments; a missing one prints as "—", any other failure propagates
    const owner = await this.deps.registry.getOrganisation(instrument.ownerId).catch((e: unknown) => {
      if (e instanceof MetrologyError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    return {
      recordId: record.id,
      certificateNo: record.certificateNo,
      recordKind: record.kind,
      conformity: record.conformity,
      certificateKind: documentOf(record),
      performedOn: record.performedOn,
      // a failed verification has no validity (a result notice prints none)
      validUntil: record.kind === 'verification' && record.conformity === 'fail' ? null : record.validUntil,
      lab: { name: lab.name, accreditation: lab.accreditation },
      customer: record.customerName ?? owner?.name ?? null,
      instrument: {
        name: instrument.name,
        manufacturer: instrument.manufacturer,
        model: instrument.model,
        serialNumber: instrument.serialNumber,
        assetCode: instrument.assetCode,
        range: instrument.range,
        accuracy: instrument.accuracy,
        patternApprovalNo: instrument.patternApprovalNo ?? null,
      },
      verificationType: record.verificationType ?? null,
      procedure: record.procedure ?? null,
      standards,
      externalReferences: record.externalReferences ?? [],
      conditions: record.conditions ?? [],
      points: record.points,
      verifier: record.verifier ?? null,
      checker: record.checker ?? null,
      approver: record.approver ?? null,
      labelNo: record.labelNo ?? null,
      sealNo: record.sealNo ?? null,
      remarks: record.remarks,
      supersedes: record.supersedes,
      supersededBy: stored.supersededBy,
    };
  }

  /**
   * What the label of record `id` shows, its QR code opening the lookup at
   * `origin`. Refused (LABEL_NOT_ISSUED) for a failed verification and for a
   * record a correction replaced: neither may be on an instrument.
   */
  async label(id: string, origin: string): Promise<LabelSvgView> {
    const stored = await this.deps.registry.getRecord(id);
    labelIssued(stored);
    const record = stored.record;
    const lab = await this.deps.registry.getOrganisation(record.labId);
    return {
      recordKind: record.kind,
      certificateNo: record.certificateNo,
      performedOn: record.performedOn,
      validUntil: record.validUntil,
      lab: lab.name,
      labelNo: record.labelNo ?? null,
      lookupUrl: lookupUrl(origin, record.certificateNo),
    };
  }

  /** Each standard the record names, with its certificate in force and its assessment certificate, as they stood on the performance date. */
  private async standardsUsed(record: CalibrationRecord): Promise<StandardUsed[]> {
    if (record.referenceIds.length === 0) return [];
    const graph = await this.deps.traceability.loadGraph(record.referenceIds, record.performedOn);
    return record.referenceIds.map((refId) => {
      const registered = graph.equipment(refId);
      if (!registered) return { id: refId, name: refId, model: null, serialNumber: null, range: null, accuracy: null, certificate: null, assessment: null };
      const e = equipmentAt(registered, graph.events?.(refId) ?? [], record.performedOn).equipment;
      const inForce = recordAt(graph.records(refId), record.performedOn);
      return {
        id: refId,
        name: e.name,
        model: e.model,
        serialNumber: e.serialNumber,
        range: e.range,
        accuracy: e.accuracy,
        certificate: inForce ? { certificateNo: inForce.certificateNo, validUntil: inForce.validUntil } : null,
        assessment: e.assessment ? { certificateNo: e.assessment.certificateNo, validUntil: e.assessment.validUntil } : null,
      };
    });
  }
}

/** A label is printed only for a record that stands and lets the instrument be used. */
function labelIssued(stored: StoredRecord): void {
  const r = stored.record;
  if (stored.supersededBy !== null) {
    fail(
      'LABEL_NOT_ISSUED',
      ':id',
      `record '${r.id}' (certificate ${r.certificateNo}) was corrected by record '${stored.supersededBy}'; print the label of the correction instead`,
    );
  }
  if (r.kind === 'verification' && r.conformity === 'fail') {
    fail(
      'LABEL_NOT_ISSUED',
      ':id',
      `record '${r.id}' (certificate ${r.certificateNo}) is a failed verification: it gets a result notice (检定结果通知书, certificate.html), never a label, and the instrument must not be used until repaired and verified again`,
    );
  }
  if (r.validUntil === null) {
    fail('LABEL_NOT_ISSUED', ':id', `record '${r.id}' (certificate ${r.certificateNo}) states no validity, so there is no date to print on a label`);
  }
}
