/** metrotrace status | due | plan | interval: mandatory verification from the command line. */
import { REGION_PATTERN } from '../codecs/contracts/common.ts';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dueCsv, readPlanRequest, writeDue, writeInterval, writePlan, writeStatus } from '../codecs/verification.ts';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { USAGES, type Usage } from '../core/registry/vocabulary.ts';
import type { VerificationService } from '../app/verification.ts';
import { today } from '../runtime/ambient.ts';
import type { Command } from './command.ts';
import { verificationServicesOf, withDatabase } from './open.ts';

/**
 * Runs `work` with the verification service over the configured database: only
 * the part of the services a status needs is built and loaded (the registry,
 * traceability, lots and verification; main/verification-services.ts), as
 * createServices builds it. `brief`: a command that reads a few rows.
 */
const withVerification = <T>(work: (s: VerificationService) => Promise<T>, brief = false) =>
  withDatabase((db) => work(verificationServicesOf(db).verification), { brief });

export const statusCommand: Command = {
  summary: 'Verification status of an instrument at a date, by id, certificate number or asset code',
  usage: 'metrotrace status EQUIPMENT_ID | --certificate NO | --asset CODE [--owner ID] [--at YYYY-MM-DD] [--json]   (exit 0 usable, 3 not usable)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { at: { type: 'string' }, certificate: { type: 'string' }, asset: { type: 'string' }, owner: { type: 'string' }, json: { type: 'boolean' } },
    });
    const at = parseDate(values.at ?? today(), '--at');
    if (!positionals[0] && !values.certificate && !values.asset) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const v = await withVerification(
      (s) =>
        positionals[0] ? s.status(positionals[0], at) : s.lookup({ certificateNo: values.certificate, assetCode: values.asset, ownerId: values.owner }, at),
      true,
    );
    const w = writeStatus(v);
    if (values.json) console.log(JSON.stringify(w, null, 2));
    else {
      const lines = [
        `${w.equipmentId} (${w.name}), owner ${w.ownerName ?? w.ownerId}, at ${w.at}: ${w.state.toUpperCase().replace(/_/g, ' ')}`,
        `  ${w.message}`,
        `  ${w.reason}`,
      ];
      if (w.certificate)
        lines.push(
          `  certificate ${w.certificate.certificateNo} by ${w.certificate.labName ?? w.certificate.labId}, ${w.certificate.performedOn} – ${w.certificate.validUntil ?? '—'}${w.dueOn ? `; due ${w.dueOn}` : ''}`,
        );
      if (w.traceability)
        lines.push(`  traceability: ${w.traceability.traceable ? 'traceable' : `broken (${w.traceability.findings.map((f) => f.code).join(', ')})`}`);
      console.log(lines.join('\n'));
    }
    return w.usable ? 0 : 3;
  },
};

export const dueCommand: Command = {
  summary: 'Mandatory instruments due or overdue over a horizon, by region, owner, category, usage (CSV or JSON)',
  usage:
    'metrotrace due --to YYYY-MM-DD [--from YYYY-MM-DD] [--region 310104] [--owner ID] [--category MV016] [--usage trade_settlement] [--json] [--out FILE]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        region: { type: 'string' },
        owner: { type: 'string' },
        category: { type: 'string' },
        usage: { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string' },
      },
    });
    if (!values.to) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    if (values.region !== undefined && !REGION_PATTERN.test(values.region)) fail('INVALID_FIELD', '--region', 'a region is a six-digit GB/T 2260 code');
    if (values.usage !== undefined && !(USAGES as readonly string[]).includes(values.usage))
      fail('INVALID_FIELD', '--usage', `usage is one of ${USAGES.join(', ')}`);
    const from = parseDate(values.from ?? today(), '--from');
    const to = parseDate(values.to, '--to');
    const items = await withVerification((s) =>
      s.due({ from, to, regionCode: values.region, ownerId: values.owner, category: values.category, usage: values.usage as Usage | undefined }),
    );
    const text = values.json ? JSON.stringify(writeDue(from, to, items), null, 2) + '\n' : dueCsv(items);
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`${items.length} due verification(s) written to ${values.out}`);
    } else process.stdout.write(text);
    return 0;
  },
};

export const planCommand: Command = {
  summary: 'Plan the verifications due over a horizon onto the institutions’ monthly capacities (stored; overflow reported)',
  usage: 'metrotrace plan --from YYYY-MM-DD --months N [--region 310000] [--category MV016] [--json]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { from: { type: 'string' }, months: { type: 'string' }, region: { type: 'string' }, category: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (!values.from || !values.months || !/^[0-9]{1,3}$/.test(values.months)) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const { id, plan } = await withVerification((s) =>
      s.plan(
        readPlanRequest(
          {
            from: values.from,
            months: Number(values.months),
            ...(values.region ? { regionCode: values.region } : {}),
            ...(values.category ? { category: values.category } : {}),
          },
          s.newId,
        ),
      ),
    );
    if (values.json) {
      console.log(JSON.stringify(writePlan(id, plan), null, 2));
      return 0;
    }
    const s = plan.summary;
    const lines = [
      `plan ${id} from ${plan.from}, ${plan.months} month(s): ${s.due} due, ${s.onTime} on time, ${s.late} late, ${s.unplaced} unplaced (${s.alreadyOverdue} already overdue)`,
    ];
    for (const o of plan.overflow)
      lines.push(`  overflow ${o.month} ${o.category}: ${o.count} cannot be verified by their due date (${o.unplaced} not placed at all)`);
    const byMonth = new Map<string, number>();
    for (const a of plan.assignments) byMonth.set(`${a.month} ${a.labId}`, (byMonth.get(`${a.month} ${a.labId}`) ?? 0) + 1);
    for (const [k, n] of [...byMonth].sort()) lines.push(`  ${k}: ${n}`);
    console.log(lines.join('\n'));
    return 0;
  },
};

export const intervalCommand: Command = {
  summary: 'Recommend a verification/calibration interval from the in-tolerance history (staircase, reliability target)',
  usage: 'metrotrace interval EQUIPMENT_ID [--at YYYY-MM-DD] [--method staircase|reliability_target] [--reliability 0.9] [--extension 0.1] [--initial MONTHS]',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        at: { type: 'string' },
        method: { type: 'string' },
        reliability: { type: 'string' },
        extension: { type: 'string' },
        initial: { type: 'string' },
      },
    });
    const id = positionals[0];
    if (!id || (values.method !== undefined && values.method !== 'staircase' && values.method !== 'reliability_target')) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const at = parseDate(values.at ?? today(), '--at');
    const r = await withVerification(
      (s) =>
        s.intervalRecommendation(id, at, {
          method: values.method as 'staircase' | undefined,
          reliability: values.reliability,
          extension: values.extension,
          initial: values.initial,
        }),
      true,
    );
    console.log(JSON.stringify({ equipmentId: id, at, state: r.status.state, recommendations: r.recommendations.map(writeInterval) }, null, 2));
    return 0;
  },
};
