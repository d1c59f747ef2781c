/**
 * `metrotrace keys create|list|revoke`: API keys straight on the database —
 * how the first admin key comes to exist. The token is printed once.
 */
import { parseArgs } from 'node:util';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { today } from '../runtime/ambient.ts';
import { BRIEF, accessServiceOf, verificationServicesOf, withDatabase } from './open.ts';
import type { Command } from './command.ts';

const USAGE = `metrotrace keys create --role admin|lab|owner|inspector|auditor [--org ID] --label TEXT [--expires YYYY-MM-DD]
       metrotrace keys list
       metrotrace keys revoke KEY_ID`;

export const keysCommand: Command = {
  summary: 'Create (the first admin key, say), list or revoke API keys',
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { role: { type: 'string' }, org: { type: 'string' }, label: { type: 'string' }, expires: { type: 'string' }, json: { type: 'boolean' } },
    });
    return withDatabase(async (database) => {
      const access = accessServiceOf(database, verificationServicesOf(database).registry);
      switch (verb) {
        case 'create': {
          const issued = await access.issue(
            {
              role: values.role ?? fail('MISSING_FIELD', '--role', 'give --role (admin, lab, owner, inspector or auditor)'),
              organisationId: values.org ?? null,
              label: values.label ?? fail('MISSING_FIELD', '--label', 'give --label: who holds the key'),
              expiresOn: values.expires ?? null,
            },
            parseDate(today(), ''),
          );
          if (values.json)
            console.log(JSON.stringify({ id: issued.key.id, role: issued.key.role, organisationId: issued.key.organisationId, token: issued.token }));
          else {
            console.error(
              `key ${issued.key.id} (${issued.key.role}${issued.key.organisationId ? ` of ${issued.key.organisationId}` : ''}) — the token is shown this once:`,
            );
            console.log(issued.token);
          }
          return 0;
        }
        case 'list': {
          for (const k of await access.listKeys()) {
            const state = k.revokedAt ? `revoked ${k.revokedAt}` : k.expiresOn ? `expires ${k.expiresOn}` : 'no expiry';
            const kind = k.purpose === 'calendar_feed' ? `calendar feed (asked for by ${k.issuedByKey ?? '?'})` : 'api key';
            console.log([k.id, k.role, k.organisationId ?? '-', state, kind, k.label].join('\t'));
          }
          return 0;
        }
        case 'revoke': {
          const id = positionals[0] ?? fail('MISSING_FIELD', 'KEY_ID', 'give the id of the key to revoke (see `metrotrace keys list`)');
          const k = await access.revoke(id);
          console.log(`key ${k.id} revoked at ${k.revokedAt}`);
          return 0;
        }
        default:
          console.error(`Usage: ${USAGE}`);
          return 2;
      }
    }, BRIEF);
  },
};
