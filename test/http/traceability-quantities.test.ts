/**
 * For every quantity with a chart in calibration-chains/: a traceable chain built
 * through the API, then each break: those the registry still records (and the
 * chain reports), and those it refuses at write time because the reference was
 * not usable on the day (a failed, unassessed or suspended standard), on PGlite
 * and on PostgreSQL (with DATABASE_URL).
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CHARTS, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const UNIT: Record<string, string> = { mass: 'kg', length: 'mm', temperature: '°C', pressure: 'MPa', electrical_energy: '1', volume: 'm³' };

async function post(app: FastifyInstance, url: string, payload: object): Promise<void> {
  const res = await app.inject({ method: 'POST', url, payload });
  assert.is(res.statusCode, 201, `${url}: ${res.body}`);
}

/**
 * institute (scoped for q) → national N → public P → working W → instrument I, all in force
 * on 2026-06-01. Returns the response to the instrument's record, the last written.
 */
async function buildChain(
  app: FastifyInstance,
  q: string,
  opts: { scope?: boolean; wMpe?: string; failW?: boolean; expiredI?: boolean; wAssessmentUntil?: string; wStatus?: string } = {},
) {
  const unit = UNIT[q]!;
  await post(app, '/v1/organisations', { id: `lab-${q}`, name: `Lab ${q}`, kind: 'legal_metrology_institute', regionCode: '310000' });
  if (opts.scope !== false) await post(app, `/v1/organisations/lab-${q}/scopes`, { quantity: q, validFrom: '2020-01-01', validUntil: '2030-12-31' });
  const eq = (id: string, level: string, mpe: string, extra: object = {}) =>
    post(app, '/v1/equipment', {
      id,
      ownerId: `lab-${q}`,
      name: id,
      quantity: q,
      range: { min: '0', max: '100', unit },
      accuracy: { kind: 'mpe', mpe, unit },
      level,
      ...(level === 'national_primary_standard'
        ? { realisation: `SI realisation of ${q}` }
        : level === 'working_instrument'
          ? {}
          : { assessment: { certificateNo: `A-${id}`, validFrom: '2020-01-01', validUntil: '2030-12-31' } }),
      ...extra,
    });
  await eq(`N-${q}`, 'national_primary_standard', '0.0001');
  await eq(`P-${q}`, 'public_highest_standard', '0.001');
  await eq(`W-${q}`, 'working_standard', opts.wMpe ?? '0.01', {
    ...(opts.wAssessmentUntil ? { assessment: { certificateNo: `A-W-${q}`, validFrom: '2020-01-01', validUntil: opts.wAssessmentUntil } } : {}),
    ...(opts.wStatus ? { status: opts.wStatus } : {}),
  });
  await eq(`I-${q}`, 'working_instrument', '0.1');
  const payload = (id: string, subject: string, ref: string, on: string, until: string, conformity = 'pass') => ({
    id,
    kind: 'verification',
    subjectId: subject,
    labId: `lab-${q}`,
    referenceIds: [ref],
    certificateNo: `C-${id}`,
    performedOn: on,
    validUntil: conformity === 'fail' ? null : until,
    conformity,
  });
  await post(app, '/v1/calibrations', payload(`rP-${q}`, `P-${q}`, `N-${q}`, '2025-09-01', '2027-08-31'));
  await post(app, '/v1/calibrations', payload(`rW-${q}`, `W-${q}`, `P-${q}`, '2025-10-01', '2026-09-30', opts.failW ? 'fail' : 'pass'));
  return app.inject({
    method: 'POST',
    url: '/v1/calibrations',
    payload: payload(`rI-${q}`, `I-${q}`, `W-${q}`, '2026-01-15', opts.expiredI ? '2026-05-01' : '2027-01-14'),
  });
}

async function codesFor(app: FastifyInstance, q: string): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: `/v1/equipment/I-${q}/traceability?at=2026-06-01` });
  assert.is(res.statusCode, 200, res.body);
  return res.json().findings.map((f: { code: string }) => f.code);
}

for (const database of testDatabases()) {
  for (const chart of CHARTS) {
    const q = chart.quantity;
    const it = suite(`traceability of ${q} on ${database.name}`);
    /** A chain recorded with these findings, or the instrument's record refused for this reason. */
    type Outcome = { readonly findings: string[] } | { readonly refused: string };
    const cases: Array<[string, Parameters<typeof buildChain>[2], Outcome]> = [
      ['a complete chain is traceable', {}, { findings: [] }],
      ['an expired certificate', { expiredI: true }, { findings: ['CERTIFICATE_EXPIRED'] }],
      ['a lab without scope for the quantity', { scope: false }, { findings: ['LAB_NOT_AUTHORISED', 'LAB_NOT_AUTHORISED', 'LAB_NOT_AUTHORISED'] }],
      [`an accuracy ratio below ${chart.minimumAccuracyRatio.toString()}`, { wMpe: '0.05' }, { findings: ['ACCURACY_RATIO_LOW'] }],
      ['a reference that failed its verification is refused', { failW: true }, { refused: 'RECORD_FAILED' }],
      ['a reference whose assessment had lapsed is refused', { wAssessmentUntil: '2025-12-31' }, { refused: 'ASSESSMENT_EXPIRED' }],
      ['a suspended reference is refused', { wStatus: 'suspended' }, { refused: 'STANDARD_SUSPENDED' }],
    ];
    for (const [what, opts, expected] of cases) {
      it(what, () =>
        withApp(
          database,
          async ({ app }) => {
            const last = await buildChain(app, q, opts);
            if ('refused' in expected) {
              const p = last.json();
              assert.equal([last.statusCode, p.code, p.path], [400, 'REFERENCE_NOT_VALID', '/referenceIds/0'], last.body);
              assert.match(p.detail, expected.refused);
              assert.is((await app.inject({ method: 'GET', url: `/v1/calibrations/rI-${q}` })).statusCode, 404, 'nothing stored');
              return;
            }
            assert.is(last.statusCode, 201, last.body);
            assert.equal((await codesFor(app, q)).sort(), [...expected.findings].sort());
          },
          { demo: false },
        ),
      );
    }
    it.run();
  }
}
