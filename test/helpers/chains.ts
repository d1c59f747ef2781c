/** A link of a traceability chain as the core resolves it (core/traceability/chain.ts), for the codecs' tests: unresolved and clean unless told otherwise. */
import type { CalendarDate } from '../../src/core/dates.ts';
import type { ChainLink } from '../../src/core/traceability/chain.ts';

export const chainLink = (over: Partial<ChainLink> = {}): ChainLink => ({
  equipment: null,
  equipmentId: 'x',
  at: '2026-06-01' as CalendarDate,
  record: null,
  lab: null,
  realisation: null,
  references: [],
  findings: [],
  notes: [],
  ...over,
});
