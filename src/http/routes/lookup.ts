/** The public face: the label lookup (JSON) and the lookup page (HTML, zh/en), open without a key. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LabelView, VerificationService } from '../../app/verification.ts';
import { codeFromScan, labelOf, LOOKUP_CSS, renderLookupPage, type Lang, type LookupOutcome } from '../../codecs/label.ts';
import { type CalendarDate, parseDate } from '../../core/dates.ts';
import { parseInstant } from '../../codecs/instant.ts';
import { fail, MetrologyError } from '../../core/errors.ts';
import { VerificationState } from '../../codecs/contracts/verification.ts';
import { CERTIFICATE_KINDS, type CertificateKind } from '../../core/registry/vocabulary.ts';
import { ASKED_STANDINGS, type AskedStanding } from '../../core/verification/asked-document.ts';
import { CalendarDateString, errorResponses, Id, Nullable } from '../schemas/common.ts';
import { preferredLanguage } from '../../codecs/accept-language.ts';

const Code = Type.String({ minLength: 1, maxLength: 100 });
const LabelQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description:
          'what a label gives: its certificate number, an instrument (asset) code, the number printed on the label (合格证号), or the whole address its QR code holds (…/lookup?q=<certificate number>)',
      }),
    ),
    certificateNo: Type.Optional(Code),
    assetCode: Type.Optional(Code),
    ownerId: Type.Optional(Id),
    labelNo: Type.Optional({
      ...Code,
      description: 'the number printed on the label (合格证号); labs may reuse one, and a number several instruments carry is refused',
    }),
    at: Type.Optional(CalendarDateString),
    asKnownAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'an instant (RFC 3339 with offset): answer as the registry knew it then, from what had been written by that moment; default: as known now',
      }),
    ),
  },
  { additionalProperties: false },
);
const PageQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 1000 })), lang: Type.Optional(Type.Unsafe<Lang>({ type: 'string', enum: ['zh', 'en'] })) },
  { additionalProperties: false },
);

const Label = Type.Object({
  asKnownAt: Nullable(Type.String({ description: 'the instant this answer is as known at (UTC); null: as known now' })),
  instrument: Type.String(),
  model: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  assetCode: Nullable(Type.String({ description: 'the instrument (asset) code on it' })),
  location: Nullable(Type.String({ description: 'where it is: its latest relocation recorded by the date, if any' })),
  category: Type.Union([Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() }), Type.Null()]),
  state: VerificationState,
  usable: Type.Boolean(),
  verdict: Type.Object({ zh: Type.String(), en: Type.String() }),
  certificateNo: Type.Union([Type.String(), Type.Null()]),
  lab: Type.Union([Type.String(), Type.Null()]),
  verifiedOn: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
  asked: Nullable(
    Type.Object(
      {
        number: Type.String({ description: 'the number looked up' }),
        by: Type.Unsafe<'certificateNo' | 'labelNo'>({
          type: 'string',
          enum: ['certificateNo', 'labelNo'],
          description: "which number it is: a certificate's, or the one printed on a label (合格证号)",
        }),
        certificateNo: Type.String({ description: 'the certificate number of the record that carries it' }),
        document: Type.Unsafe<CertificateKind>({ type: 'string', enum: [...CERTIFICATE_KINDS] }),
        performedOn: Type.String(),
        standing: Type.Unsafe<AskedStanding>({
          type: 'string',
          enum: [...ASKED_STANDINGS],
          description:
            'current: the status rests on this document; superseded: a correction replaced it; replaced: a later record is what the status rests on; not_the_basis: the status does not rest on it for another reason',
        }),
        supersededBy: Nullable(Type.String({ description: 'the certificate number of the correction that replaced it' })),
        note: Nullable(Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'said when the status does not rest on this document' })),
      },
      {
        description:
          'the document looked up by its number (certificate or label number) and whether the status rests on it; null for a lookup by instrument code',
      },
    ),
  ),
});

function preferredLang(req: FastifyRequest, asked: Lang | undefined): Lang {
  if (asked) return asked;
  // the public page is Chinese unless the browser prefers English
  return preferredLanguage(req.headers['accept-language']).startsWith('en') ? 'en' : 'zh';
}

export function lookupRoutes(service: VerificationService) {
  /** A single code from a label: a certificate number first, else an instrument (asset) code, else the label's own number. */
  async function byCode(code: string, at: CalendarDate, asKnownAt: string | null = null): Promise<LabelView> {
    const notFound = (e: unknown) => {
      if (!(e instanceof MetrologyError && e.code === 'NOT_FOUND')) throw e;
    };
    try {
      return await service.label({ certificateNo: code }, at, asKnownAt);
    } catch (e) {
      notFound(e);
    }
    try {
      return await service.label({ assetCode: code }, at, asKnownAt);
    } catch (e) {
      notFound(e);
    }
    return service.label({ labelNo: code }, at, asKnownAt);
  }

  /** The label JSON of each answer the service keeps (by the answer's object: a changed fact makes a new one). */
  const written = new WeakMap<LabelView, Buffer>();

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: Static<typeof LabelQuery> }>(
      '/v1/label',
      {
        schema: {
          tags: ['public'],
          summary:
            "What a verification label shows, by certificate number, instrument (asset) code or label number (合格证号) — or q: any of them, or the whole address a label's QR code holds — at a date (default today): the instrument (name, model, serial and asset numbers, where it is), state, plain-language verdict in Chinese and English, lab and validity — open without a key",
          querystring: LabelQuery,
          response: { 200: Label, ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const at = parseDate(q.at ?? app.today(), '?at');
        const asKnownAt = q.asKnownAt === undefined ? null : parseInstant(q.asKnownAt, '?asKnownAt');
        if (q.q !== undefined && (q.certificateNo !== undefined || q.assetCode !== undefined || q.labelNo !== undefined))
          fail('INVALID_FIELD', '?q', "give either q (a code or a label's QR address) or certificateNo / assetCode / labelNo, not both");
        const view =
          q.q !== undefined
            ? await byCode(codeFromScan(q.q), at, asKnownAt)
            : await service.label({ certificateNo: q.certificateNo, assetCode: q.assetCode, ownerId: q.ownerId, labelNo: q.labelNo }, at, asKnownAt);
        if (asKnownAt !== null) return { ...labelOf(view), asKnownAt };
        // An answer as known now is the service's kept object until a fact behind it changes: its
        // JSON, written by the route's schema once, is sent again as it is — as UTF-8 bytes, outside
        // the JavaScript heap (thousands of kept answers are no work for its garbage collector) and
        // with nothing left to encode on the way out.
        let json = written.get(view);
        if (json === undefined) {
          json = Buffer.from(reply.serializeInput({ ...labelOf(view), asKnownAt }, '200') as string, 'utf8');
          written.set(view, json);
        }
        return reply.type('application/json; charset=utf-8').send(json);
      },
    );

    app.get<{ Querystring: Static<typeof PageQuery> }>('/lookup', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
      const lang = preferredLang(req, req.query.lang);
      const q = codeFromScan(req.query.q ?? '');
      let outcome: LookupOutcome = { kind: 'form' };
      let status = 200;
      if (q !== '') {
        try {
          outcome = { kind: 'found', label: labelOf(await byCode(q, app.today())) };
        } catch (e) {
          if (!(e instanceof MetrologyError)) throw e;
          status = e.code === 'NOT_FOUND' ? 404 : 400;
          outcome =
            e.code === 'NOT_FOUND'
              ? { kind: 'not_found' }
              : {
                  kind: 'invalid',
                  message: lang === 'zh' ? '多个器具使用这个编号，请输入证书编号。' : 'Several instruments use this code; type the certificate number instead.',
                };
        }
      }
      return reply
        .status(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderLookupPage(lang, q, outcome));
    });

    app.get('/lookup.css', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LOOKUP_CSS),
    );
  };
}
