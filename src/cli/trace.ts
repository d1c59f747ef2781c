import { parseArgs } from 'node:util';
import { writeTrace } from '../codecs/traceability.ts';
import { parseDate } from '../core/dates.ts';
import { today } from '../runtime/ambient.ts';
import { BRIEF, verificationServicesOf, withDatabase } from './open.ts';
import type { Command } from './command.ts';

export const traceCommand: Command = {
  summary: 'Resolve the traceability chain of an equipment at a date and say why it is broken',
  usage: 'metrotrace trace EQUIPMENT_ID [--at YYYY-MM-DD] [--json]   (exit 0 traceable, 3 broken)',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' }, json: { type: 'boolean' } } });
    const id = positionals[0];
    if (!id) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const at = parseDate(values.at ?? today(), '--at');
    const result = await withDatabase((db) => verificationServicesOf(db).traceability.trace(id, at), BRIEF);
    const wire = writeTrace(result);
    if (values.json) {
      console.log(JSON.stringify(wire, null, 2));
    } else {
      const lines: string[] = [
        `${id} at ${at}: ${result.traceable ? 'TRACEABLE' : `BROKEN (${result.findings.length} finding${result.findings.length === 1 ? '' : 's'})`}`,
      ];
      const walk = (l: typeof wire.chain, depth: number) => {
        const pad = '  '.repeat(depth + 1);
        const rec = l.record
          ? `${l.record.kind} ${l.record.certificateNo} by ${l.record.labName ?? l.record.labId}, ${l.record.performedOn} – ${l.record.validUntil ?? '(no stated validity)'}`
          : l.realisation
            ? `realises the SI: ${l.realisation}`
            : 'no record';
        lines.push(`${pad}${l.equipmentId} [${l.level ?? '?'}] at ${l.at}: ${rec}`);
        for (const f of l.findings) lines.push(`${pad}  ✗ ${f.code}: ${f.message}`);
        l.references.forEach((r) => walk(r, depth + 1));
      };
      walk(wire.chain, 0);
      console.log(lines.join('\n'));
    }
    return result.traceable ? 0 : 3;
  },
};
