/** metrotrace energy-audit: audit an organisation's energy metering against GB 17167. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readAuditRequest, readInventory } from '../codecs/energy.ts';
import { renderAuditHtml } from '../codecs/energy-report-html.ts';
import { parseDate } from '../core/dates.ts';
import { today } from '../runtime/ambient.ts';
import { cliServices, withDatabase } from './db.ts';
import type { Command } from './command.ts';

export const energyAuditCommand: Command = {
  summary: "Audit an organisation's energy metering against GB 17167 (optionally submitting a new inventory first); writes an HTML report",
  usage:
    'metrotrace energy-audit ORGANISATION_ID [--at YYYY-MM-DD] [--inventory inventory.json] [--report report.html] [--json]   (exit 0 compliant, 3 not compliant)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { at: { type: 'string' }, inventory: { type: 'string' }, report: { type: 'string' }, json: { type: 'boolean' } },
    });
    const org = positionals[0];
    if (!org) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const at = parseDate(values.at ?? today(), '--at');
    const { audit, name } = await withDatabase(async (db) => {
      const s = cliServices(db);
      if (values.inventory) {
        const r = await s.energy.submitInventory(readInventory(JSON.parse(readFileSync(values.inventory, 'utf8')), org, s.energy.rules));
        console.error(`inventory version ${r.version} stored (${r.inventory.points.length} metering points)`);
      }
      const { audit } = await s.energy.audit(readAuditRequest({ organisationId: org, at }, s.energy.newId));
      return { audit, name: (await s.registry.getOrganisation(org)).name };
    });
    if (values.report) {
      writeFileSync(values.report, renderAuditHtml(audit, name));
      console.error(`report written to ${values.report}`);
    }
    if (values.json) console.log(JSON.stringify(audit, null, 2));
    else {
      const lines = [`energy-metering audit ${audit.id} of ${org} at ${at} against ${audit.rulesVersion}: ${audit.verdict.toUpperCase().replace('_', ' ')}`];
      for (const r of audit.rates)
        lines.push(
          `  ${r.level.padEnd(12)} ${r.energyType.padEnd(12)} ${r.installed}/${r.required} metered${r.rate === null ? '' : ` = ${r.rate} %`}${r.requiredRate === null ? '' : ` (required ${r.requiredRate} %)`}${r.meets === false ? '  ✗' : ''}`,
        );
      for (const f of audit.findings)
        lines.push(`  ${f.severity === 'nonconformity' ? '✗' : '·'} ${f.code} ${f.level}/${f.energyType}${f.pointId ? ` ${f.pointId}` : ''}: ${f.message}`);
      console.log(lines.join('\n'));
    }
    return audit.verdict === 'compliant' ? 0 : 3;
  },
};
