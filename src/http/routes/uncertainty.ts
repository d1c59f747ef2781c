/** POST /v1/uncertainty/evaluate: the JSON contract of docs/uncertainty-spec.md over HTTP. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Computations } from '../../app/computations.ts';
import { errorResponses, OpenObject } from '../schemas/common.ts';

export function uncertaintyRoutes(computations: Computations) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/uncertainty/evaluate',
      {
        schema: {
          tags: ['uncertainty'],
          summary: 'Evaluate a measurement uncertainty (GUM law of propagation in exact decimals, or Monte Carlo per JCGM 101)',
          description:
            'The body is an uncertainty spec: model (or outputs), quantities, correlations, coverage and method, every number a decimal string. The full contract, with every input form and error code, is docs/uncertainty-spec.md. The spec is checked field by field; an error names the JSON pointer of the field at fault.',
          body: Type.Object(
            {},
            {
              additionalProperties: true,
              examples: [
                {
                  measurand: 'P',
                  model: 'V^2 / R',
                  quantities: { V: { value: '10.000', u: '0.005', unit: 'V' }, R: { value: '100.00', expanded: '0.04', k: '2', unit: 'ohm' } },
                  coverage: { probability: '0.95' },
                },
              ],
            },
          ),
          response: {
            200: Type.Object(
              { method: Type.String(), outputs: Type.Record(Type.String(), OpenObject) },
              {
                additionalProperties: true,
                description:
                  'Per output: value, standardUncertainty, effectiveDof, coverageFactor, coverageProbability, expandedUncertainty, interval, reported and budget (LPU) or validation (Monte Carlo).',
              },
            ),
            ...errorResponses(400),
          },
        },
      },
      // the evaluation's own JSON text, sent as it is (the schema above documents it)
      async (req, reply) => reply.type('application/json; charset=utf-8').send(await computations.evaluate(req.body)),
    );
  };
}
