/**
 * `metrotrace event record|list|state`: the life of an equipment from the
 * command line. A record is written in the name of an API key (--key, or
 * METROTRACE_KEY), checked exactly as the API checks it: the owner on the
 * effective date or an admin; having the database at hand is no authority.
 */
import { parseArgs } from 'node:util';
import { readEvent, writeEquipmentState, writeEvent } from '../codecs/events.ts';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { EVENT_KINDS } from '../core/registry/events.ts';
import { today } from '../runtime/ambient.ts';
import { BRIEF, accessServiceOf, verificationServicesOf, withDatabase } from './open.ts';
import type { Command } from './command.ts';

const USAGE = `metrotrace event record EQUIPMENT_ID KIND --on YYYY-MM-DD [--reason TEXT]
          [--certificate-no NO --valid-from YYYY-MM-DD --valid-until YYYY-MM-DD]   (assessment_renewed)
          [--new-owner ORG_ID]   (transferred)     [--location TEXT]   (relocated)
          [--key TOKEN]   (default: $METROTRACE_KEY; the owner's or an admin's key)
       metrotrace event list EQUIPMENT_ID [--json]
       metrotrace event state EQUIPMENT_ID [--at YYYY-MM-DD]
KIND: ${EVENT_KINDS.join(', ')}`;

export const eventCommand: Command = {
  summary: "Record a change in an equipment's life (renewal, suspension, transfer, scrapping…), list them, or show its state at a date",
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        on: { type: 'string' },
        at: { type: 'string' },
        reason: { type: 'string' },
        'certificate-no': { type: 'string' },
        'valid-from': { type: 'string' },
        'valid-until': { type: 'string' },
        'new-owner': { type: 'string' },
        location: { type: 'string' },
        key: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const equipmentId = positionals[0];
    if (!equipmentId || !['record', 'list', 'state'].includes(verb ?? '')) {
      console.error(`Usage: ${USAGE}`);
      return 2;
    }
    if (verb === 'record') {
      const kind = positionals[1] ?? fail('MISSING_FIELD', 'KIND', `give the kind of event: ${EVENT_KINDS.join(', ')}`);
      const token =
        values.key ||
        process.env.METROTRACE_KEY ||
        fail(
          'MISSING_FIELD',
          '--key',
          'give --key (or set METROTRACE_KEY): the API key of the owner on the effective date, or of an admin (`metrotrace keys create` makes one)',
        );
      const renewal = values['certificate-no'] || values['valid-from'] || values['valid-until'];
      const body = {
        kind,
        effectiveOn: values.on ?? fail('MISSING_FIELD', '--on', 'give --on: the date the change took effect'),
        ...(values.reason ? { reason: values.reason } : {}),
        ...(renewal ? { assessment: { certificateNo: values['certificate-no'], validFrom: values['valid-from'], validUntil: values['valid-until'] } } : {}),
        ...(values['new-owner'] ? { newOwnerId: values['new-owner'] } : {}),
        ...(values.location ? { location: values.location } : {}),
      };
      return withDatabase(async (db) => {
        const { registry } = verificationServicesOf(db);
        const auth = await accessServiceOf(db, registry).authenticate(token, parseDate(today(), ''));
        if (!auth.ok) fail('UNAUTHORISED', '--key', `the key was not accepted: ${auth.reason}`);
        const event = await registry.recordEvent(auth.caller, readEvent(body, equipmentId, registry.newId));
        console.log(JSON.stringify(writeEvent(event), null, 2));
        return 0;
      }, BRIEF);
    }
    return withDatabase(async (db) => {
      const { registry } = verificationServicesOf(db);
      if (verb === 'list') {
        const events = await registry.listEvents(equipmentId);
        if (values.json) console.log(JSON.stringify(events.map(writeEvent), null, 2));
        else if (events.length === 0) console.log(`${equipmentId}: no events; as registered`);
        else
          for (const e of events)
            console.log(
              [
                e.effectiveOn,
                e.kind,
                e.assessment ? `${e.assessment.certificateNo} ${e.assessment.validFrom}–${e.assessment.validUntil}` : (e.newOwnerId ?? e.location ?? ''),
                e.reason ?? '',
              ]
                .join('\t')
                .trimEnd(),
            );
        return 0;
      }
      const at = parseDate(values.at ?? today(), '--at');
      console.log(JSON.stringify(writeEquipmentState(await registry.equipmentAt(equipmentId, at), at), null, 2));
      return 0;
    }, BRIEF);
  },
};
