/** metrotrace dcc export ID | dcc import FILE: Digital Calibration Certificates from the command line. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeSidecar } from '../codecs/dcc-sidecar.ts';
import { readImportRequest } from '../codecs/dcc-request.ts';
import { cliServices, withDatabase } from './db.ts';
import type { Command } from './command.ts';

export const dccCommand: Command = {
  summary: 'Export a calibration record as a DCC (PTB 3.2.0), or import a DCC as a calibration record of one of our standards',
  usage:
    'metrotrace dcc export RECORD_ID [--out FILE] [--sidecar FILE] | metrotrace dcc import FILE --subject EQUIPMENT_ID --lab LAB_ID [--sidecar FILE] [--valid-until YYYY-MM-DD]',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        sidecar: { type: 'string' },
        subject: { type: 'string' },
        lab: { type: 'string' },
        'valid-until': { type: 'string' },
      },
    });
    const [verb, target] = positionals;
    if (verb === 'export' && target) {
      const { xml, sidecar } = await withDatabase(async (db) => {
        const dcc = cliServices(db).dcc;
        return { xml: await dcc.exportDcc(target), sidecar: values.sidecar ? writeSidecar(await dcc.sidecar(target)) : null };
      });
      if (values.sidecar) writeFileSync(values.sidecar, JSON.stringify(sidecar, null, 2) + '\n');
      if (values.out) writeFileSync(values.out, xml);
      else process.stdout.write(xml + '\n');
      return 0;
    }
    if (verb === 'import' && target && values.subject && values.lab) {
      const xml = readFileSync(target, 'utf8');
      const sidecar: unknown = values.sidecar ? JSON.parse(readFileSync(values.sidecar, 'utf8')) : undefined;
      const r = await withDatabase((db) =>
        cliServices(db).dcc.importDcc(
          readImportRequest({
            xml,
            subjectId: values.subject,
            labId: values.lab,
            ...(values['valid-until'] ? { validUntil: values['valid-until'] } : {}),
            ...(sidecar ? { sidecar } : {}),
          }),
        ),
      );
      console.log(JSON.stringify({ recordId: r.record.record.id, certificateNo: r.record.record.certificateNo, unmapped: r.unmapped }, null, 2));
      return 0;
    }
    console.error(`usage: ${this.usage}`);
    return 2;
  },
};
