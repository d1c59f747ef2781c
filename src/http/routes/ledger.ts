/** GET /v1/ledger/verify: recompute the evidence ledger, check its MACs and anchors, and report the first broken link. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { LedgerService } from '../../app/ledger.ts';
import { BREAK_REASONS } from '../../core/ledger/chain.ts';
import { Nullable } from '../schemas/common.ts';

const Anchor = Type.Object({
  seq: Type.Integer(),
  hash: Type.String(),
  at: Type.String({ description: 'when the anchor was taken (ISO 8601)' }),
  keyId: Type.String({ description: 'the ledger key that signed it' }),
  mac: Type.String({ description: 'HMAC-SHA256 of `anchor|seq|hash|at` under that key, hex' }),
});

export const LedgerReport = Type.Object({
  valid: Type.Boolean({
    description: 'every entry checks (its MAC too when `authenticated`), agrees with every anchor, and no evidence is missing from the ledger',
  }),
  authenticated: Type.Boolean({
    description:
      'the MACs were checked under the ledger key ring; false when the server holds no ledger key: then an insider who rewrote the chain with the database’s own functions would pass unseen',
  }),
  summary: Type.String({ description: 'one sentence on what was and was not checked' }),
  checked: Type.Integer({ description: 'entries checked before the first broken link (all when none)' }),
  head: Type.Object({ seq: Type.Integer(), hash: Type.String({ description: 'the last good entry’s hash: quote it to prove this state later' }) }),
  broken: Nullable(
    Type.Object({
      seq: Type.Integer(),
      kind: Type.String({ description: 'the entry’s kind, or `anchor` / `seal`' }),
      entityId: Type.String(),
      reason: Type.String({ enum: [...BREAK_REASONS] }),
      message: Type.String(),
    }),
  ),
  unledgered: Type.Object({
    count: Type.Integer({ description: 'evidence rows that were never entered in the ledger (written behind the application’s back)' }),
    examples: Type.Array(Type.Object({ kind: Type.String(), id: Type.String() })),
  }),
  sealedAtUpgrade: Nullable(
    Type.Object(
      {
        throughSeq: Type.Integer(),
        sealedAt: Nullable(Type.String()),
        keyId: Nullable(Type.String({ description: 'null while the seal awaits a ledger key' })),
      },
      { description: 'entries written before MACs existed, covered by one MAC over the head at the upgrade' },
    ),
  ),
  anchors: Type.Object({
    source: Nullable(Type.String({ description: 'the anchor log read; null when none is configured' })),
    count: Type.Integer(),
    latest: Nullable(Anchor),
  }),
  keys: Type.Object({ source: Nullable(Type.String({ description: 'the ledger key file; null when none' })), signingKeyId: Nullable(Type.String()) }),
});

export function ledgerRoutes(ledger: LedgerService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/ledger/verify',
      {
        schema: {
          tags: ['ledger'],
          summary:
            'Recompute the hash chain over every record, correction, sidecar, finding, energy audit, organisation, scope, CMC, equipment and API key; check each entry’s MAC under the ledger key and the chain against the anchors kept outside the database; report the first broken link and any evidence missing from the ledger',
          response: { 200: LedgerReport },
        },
      },
      async () => ledger.verify(),
    );
  };
}
