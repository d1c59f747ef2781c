/** Printable documents of a record: the certificate page (A4, zh/en) and the label with its QR code. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DocumentService } from '../../app/documents.ts';
import { CERTIFICATE_CSS, renderCertificateHtml, type Lang } from '../../codecs/certificate-html.ts';
import { renderLabelSvg } from '../../codecs/label-svg.ts';
import { errorResponses, IdParams } from '../schemas/common.ts';

const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Unsafe<Lang>({ type: 'string', enum: ['zh', 'en'], description: 'zh (default): the document in Chinese; en: in English' })) },
  { additionalProperties: false },
);

export interface DocumentRoutesOptions {
  /** The public address of the lookup the label's QR code opens (METROTRACE_PUBLIC_URL); absent: the address the request came to. */
  readonly publicUrl?: string | undefined;
}

/** The origin a label's QR code points at: the configured public address, else the request's own. */
export function originOf(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  try {
    return new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return `${req.protocol}://localhost`;
  }
}

export function documentRoutes(service: DocumentService, opts: DocumentRoutesOptions = {}) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['registry'];
    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof LangQuery> }>(
      '/v1/calibrations/:id/certificate.html',
      {
        schema: {
          tags,
          summary:
            'The printable certificate of a record (A4): 检定证书 for a passing verification, 检定结果通知书 for a failed one (no validity), 校准证书 for a calibration — customer, instrument, procedure, conclusion, validity, the standards used with their certificates and assessment certificates as they stood that day, environmental conditions, results with uncertainty, signatures; Chinese, or English with ?lang=en',
          params: IdParams,
          querystring: LangQuery,
          produces: ['text/html'],
          response: { 200: Type.String({ description: 'text/html' }), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const lang: Lang = req.query.lang ?? 'zh';
        const view = await service.certificate(req.params.id);
        const other = `/v1/calibrations/${encodeURIComponent(req.params.id)}/certificate.html?lang=${lang === 'zh' ? 'en' : 'zh'}`;
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(renderCertificateHtml(view, lang, other));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/label.svg',
      {
        schema: {
          tags,
          summary:
            'The label (合格证; for a calibration 校准) of a record as SVG, 80 × 50 mm: certificate number, dates, lab and a QR code that opens the public lookup /lookup?q=<certificate number> (at METROTRACE_PUBLIC_URL, else this server). None for a failed verification or a corrected record: 422 LABEL_NOT_ISSUED',
          params: IdParams,
          produces: ['image/svg+xml'],
          response: { 200: Type.String({ description: 'image/svg+xml' }), ...errorResponses(400, 404, 422) },
        },
      },
      async (req, reply) => {
        const view = await service.label(req.params.id, originOf(req, opts.publicUrl));
        return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-store').send(renderLabelSvg(view));
      },
    );

    app.get('/certificate.css', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CERTIFICATE_CSS),
    );
  };
}
