/** The contract of a conformity decision on the wire (codecs/conformity.ts writeDecision): decimals as strings. */
import { Type } from '@sinclair/typebox';
import { DECISIONS } from '../../core/conformity/decision-rule.ts';
import { Enum, Nullable } from './common.ts';

export const Decision = Type.Object({
  decision: Enum(DECISIONS, 'the decision under the rule'),
  accepted: Type.Boolean({ description: 'true only for pass: a conditional pass (in the guard band) is not accepted' }),
  acceptanceLimits: Nullable(
    Type.Object(
      { lower: Nullable(Type.String()), upper: Nullable(Type.String()) },
      { description: 'the interval in which a value is accepted under the rule' },
    ),
  ),
  probabilityConforming: Type.String({ description: 'probability that the true value lies in the tolerance, given the measurement' }),
  specificRisk: Type.Object({ kind: Type.String({ enum: ['false_accept', 'false_reject'] }), probability: Type.String() }),
});

/** The decision of one of a record's points (by its index). */
export const PointDecision = Type.Object({ point: Type.Integer({ minimum: 0 }), ...Decision.properties });
