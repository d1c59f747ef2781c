/** POST /v1/conformity/decisions: statements of conformity with their specific risk. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Computations } from '../../app/computations.ts';
import { DecimalString, errorResponses } from '../schemas/common.ts';
import { Decision } from '../../codecs/contracts/conformity.ts';

const Body = Type.Object(
  {
    rule: Type.Object(
      {
        kind: Type.Unsafe<string>({ type: 'string', enum: ['simple', 'guard_band', 'max_pfa'] }),
        r: Type.Optional(DecimalString),
        pfa: Type.Optional(DecimalString),
      },
      {
        additionalProperties: false,
        description: 'simple (w = 0); guard_band with r (w = r·U, default 1); max_pfa with the largest acceptable specific probability of false accept',
      },
    ),
    tolerance: Type.Object(
      { lower: Type.Optional(Type.Union([DecimalString, Type.Null()])), upper: Type.Optional(Type.Union([DecimalString, Type.Null()])) },
      { additionalProperties: false },
    ),
    points: Type.Array(
      Type.Object(
        {
          value: DecimalString,
          expandedUncertainty: DecimalString,
          coverageFactor: DecimalString,
          dof: Type.Optional(Type.String({ description: 'degrees of freedom, a whole number or "inf" (default)' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);

export function conformityRoutes(computations: Computations) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/conformity/decisions',
      {
        schema: {
          tags: ['conformity'],
          summary:
            'Decide conformity of measured points against a tolerance by a decision rule (ILAC G8:2019, JCGM 106:2012), with the specific probability of false accept or reject of each decision',
          body: Body,
          response: { 200: Type.Object({ rule: Type.String(), decisions: Type.Array(Decision) }), ...errorResponses(400) },
        },
      },
      async (req) => computations.decide(req.body),
    );
  };
}
