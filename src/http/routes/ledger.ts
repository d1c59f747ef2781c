/** GET /v1/ledger/verify: recompute the evidence ledger and report the first broken link. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { LedgerService } from '../../app/ledger.ts';
import { Nullable } from '../schemas/common.ts';

export const LedgerReport = Type.Object({
  valid: Type.Boolean(),
  checked: Type.Integer({ description: 'entries checked before the first broken link (all when none)' }),
  head: Type.Object({ seq: Type.Integer(), hash: Type.String({ description: 'the last good entry’s hash: quote it to prove this state later' }) }),
  broken: Nullable(
    Type.Object({
      seq: Type.Integer(),
      kind: Type.String(),
      entityId: Type.String(),
      reason: Type.String({ enum: ['gap', 'prev_hash', 'entry_hash', 'content_changed', 'entity_missing'] }),
      message: Type.String(),
    }),
  ),
  unledgered: Type.Object({ count: Type.Integer({ description: 'evidence rows that were never entered in the ledger (written behind the application’s back)' }), examples: Type.Array(Type.Object({ kind: Type.String(), id: Type.String() })) }),
});

export function ledgerRoutes(ledger: LedgerService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/ledger/verify',
      {
        schema: {
          tags: ['ledger'],
          summary: 'Recompute the hash chain over every record, correction, sidecar, out-of-tolerance finding and energy audit; report the first broken link and any evidence missing from the ledger',
          response: { 200: LedgerReport },
        },
      },
      async () => ledger.verify(),
    );
  };
}
