/**
 * Digital Calibration Certificates (PTB DCC, schema 3.2.0 with D-SI 2.1.0;
 * namespaces https://ptb.de/dcc and https://ptb.de/si), out and in.
 *
 * Out: a calibration record becomes a DCC with its administrative data
 * (software, core data, item, laboratory, responsible persons — the record's
 * verifier, checker and approver by dcc:role, the approver as main signer —,
 * customer — the record's customerName, else the owner —,
 * statements: the record's validity, its remarks and its traceability) and
 * one measurement result whose used method is the record's procedure (校准依据,
 * as dcc:usedMethod with its dcc:norm), whose measuring equipment are the record's reference
 * standards and whose results are the measured points as si:real values with
 * D-SI units and si:expandedUnc. Decimals are written exactly as stored.
 * Built with xmlbuilder2, never by string concatenation.
 *
 * The output validates against the official DCC 3.2.0 XSD, the newest PTB
 * schema we have to check it with, and declares that version (and the schema's
 * published location). Where the schema requires something the registry may
 * not hold, the certificate says so in words rather than inventing it: an item
 * must name its manufacturer, and when the equipment has none recorded the
 * manufacturer's name reads MANUFACTURER_NOT_RECORDED.
 * test/codecs/dcc-schema.test.ts checks this with xmllint against the schemas
 * in ../shared/dcc-xsd/ (kept outside the project; third-party files).
 *
 * In: the structure and every D-SI unit are checked (an error names the
 * element); the certificate maps to a calibration record, and every element
 * it could not map is listed, never silently dropped. Documents declaring
 * 3.2.0 or 3.3.0 (what metrotrace declared before it was checked against a
 * schema) are read alike; another 3.x version is read the same way and noted.
 */
import { create } from 'xmlbuilder2';
import { XMLParser } from 'fast-xml-parser';
import { type CalendarDate, parseDate } from '../core/dates.ts';
import { MetrologyError } from '../core/errors.ts';
import { DECIMAL_PATTERN, type DecimalText, parseDecimalText, valueOf } from '../core/numeric/decimal.ts';
import type { CalibrationRecord, Equipment, InfluenceCondition, MeasuredPoint, Organisation } from '../core/registry/types.ts';
import { checkIdentifier } from '../core/registry/identifier.ts';
import { coverageProbabilityOf, INFINITE_DOF } from '../core/uncertainty/student-t.ts';
import { ruleStatement } from '../core/conformity/decision-rule.ts';
import { fromDsi, isDsiUnit, toDsi } from './dsi-units.ts';

export const DCC_NS = 'https://ptb.de/dcc';
export const SI_NS = 'https://ptb.de/si';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** The schema version the output declares: the newest official one it is validated against. */
export const DCC_VERSION = '3.2.0';
/** Where PTB publishes that schema (xsi:schemaLocation; validators may use it, the certificate does not depend on it). */
export const DCC_SCHEMA_LOCATION = `${DCC_NS} https://ptb.de/dcc/v${DCC_VERSION}/dcc.xsd`;
/**
 * Versions read without a note: 3.2.0, and 3.3.0, which metrotrace declared
 * before its output was checked against a schema. Those earlier documents have
 * every element read here; they may lack the item's manufacturer, which is not
 * read.
 */
const READ_VERSIONS: readonly string[] = [DCC_VERSION, '3.3.0'];
/**
 * The name given for the item's manufacturer when the equipment has none
 * recorded: DCC 3.2.0 requires dcc:manufacturer on every item, and we will not
 * make one up.
 */
export const MANUFACTURER_NOT_RECORDED = 'manufacturer not recorded';
const VALIDITY_REF = 'metrotrace_validUntil';
const PROCEDURE_REF = 'metrotrace_procedure';
/** The record's signatories and the dcc:role each is written with. */
const RESP_ROLES = [
  ['verifier', 'verifier'],
  ['checker', 'checker'],
  ['approver', 'approver'],
] as const satisfies ReadonlyArray<readonly [keyof CalibrationRecord, string]>;
const DECISION_REF = 'metrotrace_decisionRule';

export interface DccContext {
  readonly record: CalibrationRecord;
  readonly subject: Equipment;
  readonly lab: Organisation;
  readonly owner: Organisation | null;
  readonly references: ReadonlyMap<string, Equipment>;
  readonly software: { readonly name: string; readonly release: string };
  /** The traceability verdict of the record's chain, in words, for the statements. */
  readonly traceability: string;
}

function coverageProbability(k: DecimalText): string {
  return coverageProbabilityOf(valueOf(k), INFINITE_DOF).toSignificantDigits(4).toString();
}

export function writeDcc(c: DccContext): string {
  const { record, subject, lab } = c;
  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(DCC_NS, 'dcc:digitalCalibrationCertificate', { schemaVersion: DCC_VERSION })
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:si', SI_NS)
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:xsi', XSI_NS)
    .att(XSI_NS, 'xsi:schemaLocation', DCC_SCHEMA_LOCATION);
  const text = (parent: ReturnType<typeof root.ele>, name: string, content: string) =>
    parent.ele(DCC_NS, name).ele(DCC_NS, 'dcc:content').txt(content).up().up();
  const admin = root.ele(DCC_NS, 'dcc:administrativeData');
  const sw = admin.ele(DCC_NS, 'dcc:dccSoftware').ele(DCC_NS, 'dcc:software');
  text(sw, 'dcc:name', c.software.name);
  sw.ele(DCC_NS, 'dcc:release').txt(c.software.release);
  const core = admin.ele(DCC_NS, 'dcc:coreData');
  core.ele(DCC_NS, 'dcc:countryCodeISO3166_1').txt('CN');
  core.ele(DCC_NS, 'dcc:usedLangCodeISO639_1').txt('en');
  core.ele(DCC_NS, 'dcc:mandatoryLangCodeISO639_1').txt('en');
  core.ele(DCC_NS, 'dcc:uniqueIdentifier').txt(record.certificateNo);
  const ids = core.ele(DCC_NS, 'dcc:identifications').ele(DCC_NS, 'dcc:identification');
  ids.ele(DCC_NS, 'dcc:issuer').txt('calibrationLaboratory');
  ids.ele(DCC_NS, 'dcc:value').txt(record.id);
  text(ids, 'dcc:name', 'metrotrace record id');
  core.ele(DCC_NS, 'dcc:beginPerformanceDate').txt(record.performedOn);
  core.ele(DCC_NS, 'dcc:endPerformanceDate').txt(record.performedOn);
  core.ele(DCC_NS, 'dcc:performanceLocation').txt('laboratory');

  const item = admin.ele(DCC_NS, 'dcc:items').ele(DCC_NS, 'dcc:item');
  text(item, 'dcc:name', subject.name);
  // Required by the schema (between name and model); never invented.
  text(item.ele(DCC_NS, 'dcc:manufacturer'), 'dcc:name', subject.manufacturer ?? MANUFACTURER_NOT_RECORDED);
  if (subject.model) item.ele(DCC_NS, 'dcc:model').txt(subject.model);
  const itemIds = item.ele(DCC_NS, 'dcc:identifications');
  const ident = (issuer: string, value: string, name: string) => {
    const i = itemIds.ele(DCC_NS, 'dcc:identification');
    i.ele(DCC_NS, 'dcc:issuer').txt(issuer);
    i.ele(DCC_NS, 'dcc:value').txt(value);
    text(i, 'dcc:name', name);
  };
  ident('calibrationLaboratory', subject.id, 'metrotrace equipment id');
  if (subject.serialNumber) ident('manufacturer', subject.serialNumber, 'serial number');
  if (subject.assetCode) ident('customer', subject.assetCode, 'asset code');

  const labContact = admin.ele(DCC_NS, 'dcc:calibrationLaboratory').ele(DCC_NS, 'dcc:contact');
  text(labContact, 'dcc:name', lab.name);
  labContact.ele(DCC_NS, 'dcc:eMail').txt(`${lab.id}@metrotrace.invalid`);
  labContact.ele(DCC_NS, 'dcc:location').ele(DCC_NS, 'dcc:countryCode').txt('CN').up().ele(DCC_NS, 'dcc:postCode').txt(lab.regionCode);
  // 检定员/校准员, 核验员, 批准人 as responsible persons with their roles; the approver signs
  const persons = admin.ele(DCC_NS, 'dcc:respPersons');
  const signers = RESP_ROLES.filter(([field]) => record[field]);
  if (signers.length === 0)
    text(persons.ele(DCC_NS, 'dcc:respPerson').ele(DCC_NS, 'dcc:person'), 'dcc:name', `Authorised signatory of ${lab.name} (no name on record)`);
  for (const [field, role] of signers) {
    const p = persons.ele(DCC_NS, 'dcc:respPerson');
    text(p.ele(DCC_NS, 'dcc:person'), 'dcc:name', record[field]!);
    p.ele(DCC_NS, 'dcc:role').txt(role);
    if (field === 'approver') p.ele(DCC_NS, 'dcc:mainSigner').txt('true');
  }
  // 送检单位: the customer the certificate names, else the owner
  const customer = admin.ele(DCC_NS, 'dcc:customer');
  text(customer, 'dcc:name', record.customerName ?? c.owner?.name ?? subject.ownerId);
  customer
    .ele(DCC_NS, 'dcc:location')
    .ele(DCC_NS, 'dcc:countryCode')
    .txt('CN')
    .up()
    .ele(DCC_NS, 'dcc:postCode')
    .txt(c.owner?.regionCode ?? '000000');

  const statements = admin.ele(DCC_NS, 'dcc:statements');
  // a calibration that states no validity leaves the recalibration date to the owner: no statement then
  if (record.validUntil !== null) {
    const validity = statements.ele(DCC_NS, 'dcc:statement', { refType: VALIDITY_REF });
    text(validity, 'dcc:declaration', `The certificate is valid until ${record.validUntil}.`);
    validity.ele(DCC_NS, 'dcc:date').txt(record.validUntil);
  }
  const rule = statements.ele(DCC_NS, 'dcc:statement', { refType: DECISION_REF });
  text(
    rule,
    'dcc:declaration',
    record.decisionRule
      ? `Conformity is decided by ${ruleStatement(record.decisionRule)}.`
      : 'No statement of conformity is made in this certificate, so no decision rule is applied (ISO/IEC 17025 7.8.6).',
  );
  const trace = statements.ele(DCC_NS, 'dcc:statement', { refType: 'basic_traceability' });
  text(trace, 'dcc:declaration', c.traceability);
  if (record.remarks) text(statements.ele(DCC_NS, 'dcc:statement', { refType: 'metrotrace_remarks' }), 'dcc:declaration', record.remarks);

  const result = root.ele(DCC_NS, 'dcc:measurementResults').ele(DCC_NS, 'dcc:measurementResult');
  text(result, 'dcc:name', `Calibration of ${subject.name}`);
  if (record.procedure) {
    // 校准依据: the specification followed, as the method used and its norm
    const method = result.ele(DCC_NS, 'dcc:usedMethods').ele(DCC_NS, 'dcc:usedMethod', { refType: PROCEDURE_REF });
    text(method, 'dcc:name', record.procedure);
    method.ele(DCC_NS, 'dcc:norm').txt(record.procedure);
  }
  const external = record.externalReferences ?? [];
  if (record.referenceIds.length > 0 || external.length > 0) {
    const eqs = result.ele(DCC_NS, 'dcc:measuringEquipments');
    const equipment = (name: string, issuer: string, value: string, idName: string) => {
      const m = eqs.ele(DCC_NS, 'dcc:measuringEquipment');
      text(m, 'dcc:name', name);
      const i = m.ele(DCC_NS, 'dcc:identifications').ele(DCC_NS, 'dcc:identification');
      i.ele(DCC_NS, 'dcc:issuer').txt(issuer);
      i.ele(DCC_NS, 'dcc:value').txt(value);
      text(i, 'dcc:name', idName);
    };
    for (const id of record.referenceIds) equipment(c.references.get(id)?.name ?? id, 'calibrationLaboratory', id, 'metrotrace equipment id');
    // standards outside the registry, as the certificate that named them identified them
    for (const name of external) equipment(name, 'other', name, 'identification outside metrotrace');
  }
  if ((record.conditions ?? []).length > 0) {
    const conds = result.ele(DCC_NS, 'dcc:influenceConditions');
    (record.conditions ?? []).forEach((cond, n) => {
      const ic = conds.ele(DCC_NS, 'dcc:influenceCondition', { refType: 'basic_influenceCondition' });
      text(ic, 'dcc:name', cond.name);
      const q = ic.ele(DCC_NS, 'dcc:data').ele(DCC_NS, 'dcc:quantity').ele(SI_NS, 'si:real');
      q.ele(SI_NS, 'si:value').txt(cond.value);
      q.ele(SI_NS, 'si:unit').txt(toDsi(cond.unit, `/conditions/${n}/unit`));
      if (cond.expandedUncertainty !== null && cond.coverageFactor !== null) {
        const u = q.ele(SI_NS, 'si:expandedUnc');
        u.ele(SI_NS, 'si:uncertainty').txt(cond.expandedUncertainty);
        u.ele(SI_NS, 'si:coverageFactor').txt(cond.coverageFactor);
        u.ele(SI_NS, 'si:coverageProbability').txt(coverageProbability(cond.coverageFactor));
      }
    });
  }
  const results = result.ele(DCC_NS, 'dcc:results');
  record.points.forEach((p, n) => {
    const r = results.ele(DCC_NS, 'dcc:result', { refType: 'basic_calibrationPoint' });
    text(r, 'dcc:name', `Point ${n + 1}`);
    const list = r.ele(DCC_NS, 'dcc:data').ele(DCC_NS, 'dcc:list');
    const unit = toDsi(p.unit, `/points/${n}/unit`);
    const real = (refType: string, value: string, withUnc: boolean) => {
      const q = list.ele(DCC_NS, 'dcc:quantity', { refType }).ele(SI_NS, 'si:real');
      q.ele(SI_NS, 'si:value').txt(value);
      q.ele(SI_NS, 'si:unit').txt(unit);
      if (withUnc && p.expandedUncertainty !== null && p.coverageFactor !== null) {
        const u = q.ele(SI_NS, 'si:expandedUnc');
        u.ele(SI_NS, 'si:uncertainty').txt(p.expandedUncertainty);
        u.ele(SI_NS, 'si:coverageFactor').txt(p.coverageFactor);
        u.ele(SI_NS, 'si:coverageProbability').txt(coverageProbability(p.coverageFactor));
      }
    };
    real('basic_nominalValue', p.nominal, false);
    if (p.asFound !== null) real('basic_measuredValue', p.asFound, true);
    if (p.asLeft !== null) real('metrotrace_asLeftValue', p.asLeft, p.asFound === null);
  });
  return root.end({ prettyPrint: true });
}

// ---------------------------------------------------------------- in

export interface DccImport {
  readonly record: Omit<CalibrationRecord, 'id' | 'subjectId' | 'labId' | 'supersedes' | 'validUntil'> & { readonly validUntil: CalendarDate | null };
  /**
   * How the certificate identifies its measuring equipment: the value, and
   * whether the calibration laboratory issued it (only such an identification
   * can be a registry id; the caller keeps the others as external references).
   */
  readonly measuringEquipment: ReadonlyArray<{ readonly value: string; readonly issuedByLab: boolean }>;
  /** What the certificate says that the record cannot hold, by element path. */
  readonly unmapped: readonly string[];
}

type Node = Record<string, unknown>;
const ROOT = 'dcc:digitalCalibrationCertificate';

function invalid(path: string, message: string): never {
  throw new MetrologyError('INVALID_DCC', path, message);
}

function asArray(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function child(node: Node, name: string, path: string): Node {
  const v = node[name];
  if (v === undefined) invalid(`${path}/${name}`, `the required element ${name} is missing`);
  if (Array.isArray(v)) invalid(`${path}/${name}`, `${name} appears more than once`);
  if (typeof v !== 'object' || v === null) return { '#text': String(v) };
  return v as Node;
}

function textOf(node: Node, name: string, path: string): string {
  const c = child(node, name, path);
  const t = c['#text'];
  if (typeof t !== 'string' || t.trim() === '') invalid(`${path}/${name}`, `${name} is empty`);
  return t.trim();
}

function contentOf(node: Node, name: string, path: string): string {
  const c = child(node, name, path);
  const content = asArray(c['dcc:content'])[0];
  const t = typeof content === 'object' && content !== null ? (content as Node)['#text'] : content;
  if (typeof t !== 'string' || t.trim() === '') invalid(`${path}/${name}/dcc:content`, `${name} has no dcc:content`);
  return t.trim();
}

/** Lists the children of `node` that are not in `mapped`, as paths. */
function leftover(node: Node, path: string, mapped: readonly string[], out: string[]): void {
  for (const key of Object.keys(node)) {
    if (key.startsWith('@_') || key === '#text' || mapped.includes(key)) continue;
    out.push(`${path}/${key}`);
  }
}

export function readDcc(xml: string): DccImport {
  if (xml.length > 5_000_000) invalid('', 'a DCC of more than 5 MB is not accepted');
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    alwaysCreateTextNode: true,
    processEntities: true,
    htmlEntities: false,
  });
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (e) {
    invalid('', `not well-formed XML: ${(e as Error).message}`);
  }
  const root = doc[ROOT] as Node | undefined;
  if (!root || typeof root !== 'object') invalid('', `the root element is not ${ROOT}`);
  const R = `/${ROOT}`;
  if (root['@_xmlns:dcc'] !== DCC_NS) invalid(R, `the dcc prefix must be bound to ${DCC_NS}`);
  const version = root['@_schemaVersion'];
  if (typeof version !== 'string' || !/^3\.\d+\.\d+$/.test(version))
    invalid(`${R}/@schemaVersion`, `schemaVersion "${String(version)}" is not a DCC 3.x version`);
  const unmapped: string[] = [];
  if (!READ_VERSIONS.includes(version)) unmapped.push(`${R}/@schemaVersion (${version}; read as ${DCC_VERSION})`);

  const A = `${R}/dcc:administrativeData`;
  const admin = child(root, 'dcc:administrativeData', R);
  const core = child(admin, 'dcc:coreData', A);
  const C = `${A}/dcc:coreData`;
  const certificateNo = checkIdentifier(textOf(core, 'dcc:uniqueIdentifier', C), `${C}/dcc:uniqueIdentifier`, 'the certificate number');
  const begin = textOf(core, 'dcc:beginPerformanceDate', C);
  const end = textOf(core, 'dcc:endPerformanceDate', C);
  const performedOn = (() => {
    try {
      return parseDate(begin, `${C}/dcc:beginPerformanceDate`);
    } catch {
      return invalid(`${C}/dcc:beginPerformanceDate`, `"${begin}" is not a YYYY-MM-DD date`);
    }
  })();
  if (end !== begin) unmapped.push(`${C}/dcc:endPerformanceDate (${end}; the record keeps the begin date ${begin})`);
  leftover(
    core,
    C,
    [
      'dcc:uniqueIdentifier',
      'dcc:beginPerformanceDate',
      'dcc:endPerformanceDate',
      'dcc:countryCodeISO3166_1',
      'dcc:usedLangCodeISO639_1',
      'dcc:mandatoryLangCodeISO639_1',
      'dcc:identifications',
      'dcc:performanceLocation',
    ],
    unmapped,
  );
  // Checked to be there, not read: the importer names the subject and the lab,
  // so the item (its manufacturer, placeholder or not, included) maps to nothing.
  child(admin, 'dcc:calibrationLaboratory', A);
  child(admin, 'dcc:items', A);

  let validUntil: CalendarDate | null = null;
  let remarks: string | null = null;
  const S = `${A}/dcc:statements`;
  asArray((admin['dcc:statements'] as Node | undefined)?.['dcc:statement']).forEach((s, i) => {
    const st = s as Node;
    const path = `${S}/dcc:statement[${i + 1}]`;
    const ref = st['@_refType'];
    if (ref === VALIDITY_REF) {
      const d = textOf(st, 'dcc:date', path);
      try {
        validUntil = parseDate(d, `${path}/dcc:date`);
      } catch {
        invalid(`${path}/dcc:date`, `"${d}" is not a YYYY-MM-DD date`);
      }
    } else if (ref === 'metrotrace_remarks') remarks = contentOf(st, 'dcc:declaration', path);
    else if (ref !== 'basic_traceability' && ref !== DECISION_REF) unmapped.push(`${path}${ref ? ` (refType ${String(ref)})` : ''}`);
  });
  leftover(
    admin,
    A,
    ['dcc:dccSoftware', 'dcc:coreData', 'dcc:items', 'dcc:calibrationLaboratory', 'dcc:respPersons', 'dcc:customer', 'dcc:statements'],
    unmapped,
  );
  // the signatories the record holds (by dcc:role); a person without one of those roles is kept as unmapped
  const signatories: { verifier?: string; checker?: string; approver?: string } = {};
  const P = `${A}/dcc:respPersons`;
  asArray((admin['dcc:respPersons'] as Node | undefined)?.['dcc:respPerson']).forEach((p, i) => {
    const person = p as Node;
    const path = `${P}/dcc:respPerson[${i + 1}]`;
    const role = (person['dcc:role'] as Node | undefined)?.['#text'];
    const entry = RESP_ROLES.find(([, r]) => r === role);
    const name = contentOf(child(person, 'dcc:person', path), 'dcc:name', `${path}/dcc:person`);
    if (entry && signatories[entry[0]] === undefined) signatories[entry[0]] = name.slice(0, 100);
    else if (!/\(no name on record\)$/.test(name)) unmapped.push(`${path}${typeof role === 'string' ? ` (role ${role})` : ' (no role)'}`);
  });
  const customerNode = admin['dcc:customer'] as Node | undefined;
  const customerName = customerNode ? contentOf(customerNode, 'dcc:name', `${A}/dcc:customer`).slice(0, 200) : null;

  const M = `${R}/dcc:measurementResults`;
  const results = asArray(child(root, 'dcc:measurementResults', R)['dcc:measurementResult']);
  if (results.length === 0) invalid(`${M}/dcc:measurementResult`, 'a DCC has at least one measurement result');
  const measuringEquipment: Array<{ value: string; issuedByLab: boolean }> = [];
  const points: MeasuredPoint[] = [];
  const conditions: InfluenceCondition[] = [];
  let procedure: string | null = null;
  const readReal = (real: Node, Q: string): { value: DecimalText; dsi: string; unit: string | null; U: DecimalText | null; k: DecimalText | null } => {
    const value = textOf(real, 'si:value', Q);
    if (!new RegExp(DECIMAL_PATTERN).test(value)) invalid(`${Q}/si:value`, `"${value.slice(0, 40)}" is not a decimal number`);
    const dsi = textOf(real, 'si:unit', Q);
    if (!isDsiUnit(dsi)) invalid(`${Q}/si:unit`, `"${dsi}" is not a D-SI unit: write units as \\kilogram, \\milli\\metre, \\metre\\tothe{3}, …`);
    let U: DecimalText | null = null;
    let k: DecimalText | null = null;
    const exp = real['si:expandedUnc'] as Node | undefined;
    if (exp) {
      U = parseDecimalText(textOf(exp, 'si:uncertainty', `${Q}/si:expandedUnc`), `${Q}/si:expandedUnc/si:uncertainty`);
      k = parseDecimalText(textOf(exp, 'si:coverageFactor', `${Q}/si:expandedUnc`), `${Q}/si:expandedUnc/si:coverageFactor`);
    }
    return { value: value as DecimalText, dsi, unit: fromDsi(dsi), U, k };
  };
  results.forEach((res, ri) => {
    const mr = res as Node;
    const MR = `${M}/dcc:measurementResult[${ri + 1}]`;
    asArray((mr['dcc:measuringEquipments'] as Node | undefined)?.['dcc:measuringEquipment']).forEach((m, mi) => {
      const ids = asArray(((m as Node)['dcc:identifications'] as Node | undefined)?.['dcc:identification']);
      // the laboratory's own identification first, else whatever identifies the standard
      const nodes = ids.map((x) => x as Node);
      const lab = nodes.find((x) => (x['dcc:issuer'] as Node | undefined)?.['#text'] === 'calibrationLaboratory');
      const v = ((lab ?? nodes[0])?.['dcc:value'] as Node | undefined)?.['#text'];
      if (typeof v === 'string' && v.trim() !== '') measuringEquipment.push({ value: v.trim(), issuedByLab: lab !== undefined });
      else unmapped.push(`${MR}/dcc:measuringEquipments/dcc:measuringEquipment[${mi + 1}] (no identification)`);
    });
    asArray((mr['dcc:influenceConditions'] as Node | undefined)?.['dcc:influenceCondition']).forEach((ic, ci) => {
      const IC = `${MR}/dcc:influenceConditions/dcc:influenceCondition[${ci + 1}]`;
      const cond = ic as Node;
      const name = contentOf(cond, 'dcc:name', IC);
      const quantities = asArray((child(cond, 'dcc:data', IC) as Node)['dcc:quantity']);
      const real = (quantities[0] as Node | undefined)?.['si:real'] as Node | undefined;
      if (!real || quantities.length !== 1) {
        unmapped.push(`${IC} (${name}: not one si:real)`);
        return;
      }
      const v = readReal(real, `${IC}/dcc:data/dcc:quantity/si:real`);
      if (v.unit === null) unmapped.push(`${IC} (${name}: ${v.dsi} is valid D-SI, not a unit of this registry)`);
      else conditions.push({ name, value: v.value, unit: v.unit, expandedUncertainty: v.U, coverageFactor: v.k });
    });
    asArray((child(mr, 'dcc:results', MR) as Node)['dcc:result']).forEach((r, pi) => {
      const P = `${MR}/dcc:results/dcc:result[${pi + 1}]`;
      const list = child(child(r as Node, 'dcc:data', P), 'dcc:list', `${P}/dcc:data`);
      const found: Record<string, { value: DecimalText; unit: string; U: DecimalText | null; k: DecimalText | null }> = {};
      asArray(list['dcc:quantity']).forEach((q, qi) => {
        const Q = `${P}/dcc:data/dcc:list/dcc:quantity[${qi + 1}]`;
        const quantity = q as Node;
        const ref = String(quantity['@_refType'] ?? '');
        const real = quantity['si:real'] as Node | undefined;
        if (!real) {
          unmapped.push(`${Q} (not an si:real)`);
          return;
        }
        const { value, dsi, unit, U, k } = readReal(real, `${Q}/si:real`);
        if (unit === null) {
          unmapped.push(`${Q}/si:real/si:unit (${dsi}: valid D-SI, not a unit of this registry)`);
          return;
        }
        if (ref === 'basic_nominalValue' || ref === 'basic_measuredValue' || ref === 'metrotrace_asLeftValue') found[ref] = { value, unit, U, k };
        else unmapped.push(`${Q}${ref ? ` (refType ${ref})` : ' (no refType)'}`);
      });
      const nominal = found['basic_nominalValue'];
      if (!nominal) {
        unmapped.push(`${P} (no basic_nominalValue)`);
        return;
      }
      const measured = found['basic_measuredValue'];
      const asLeft = found['metrotrace_asLeftValue'];
      const unc = measured ?? asLeft;
      points.push({
        nominal: nominal.value,
        asFound: measured?.value ?? null,
        asLeft: asLeft?.value ?? null,
        expandedUncertainty: unc?.U ?? null,
        coverageFactor: unc?.k ?? null,
        unit: nominal.unit,
      });
    });
    asArray((mr['dcc:usedMethods'] as Node | undefined)?.['dcc:usedMethod']).forEach((m, mi) => {
      const method = m as Node;
      const path = `${MR}/dcc:usedMethods/dcc:usedMethod[${mi + 1}]`;
      const norm = asArray(method['dcc:norm'])[0] as Node | undefined;
      const named = typeof norm?.['#text'] === 'string' && norm['#text'].trim() !== '' ? norm['#text'].trim() : contentOf(method, 'dcc:name', path);
      if (procedure === null) procedure = named.slice(0, 200);
      else unmapped.push(`${path} (${named}: the record keeps one procedure)`);
    });
    leftover(mr, MR, ['dcc:name', 'dcc:measuringEquipments', 'dcc:influenceConditions', 'dcc:results', 'dcc:usedMethods'], unmapped);
  });
  leftover(root, R, ['dcc:administrativeData', 'dcc:measurementResults'], unmapped);
  return {
    record: {
      kind: 'calibration',
      referenceIds: measuringEquipment.map((m) => m.value),
      certificateNo,
      performedOn,
      validUntil,
      conformity: null,
      points,
      remarks,
      conditions,
      procedure,
      verifier: signatories.verifier ?? null,
      checker: signatories.checker ?? null,
      approver: signatories.approver ?? null,
      customerName,
    },
    measuringEquipment,
    unmapped,
  };
}
