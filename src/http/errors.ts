/**
 * From errors to RFC 9457 problems. The only place that knows which code is
 * which HTTP status. 5xx responses never carry internals (stack, SQL): those go
 * to the log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, MetrologyError, type ErrorCode } from '../core/errors.ts';
import { isDatabaseUnreachable } from '../runtime/db-unreachable.ts';
import { wantsChinese } from '../codecs/accept-language.ts';
import { PROBLEM_TITLES_ZH } from '../codecs/problem-titles.ts';
import { contractProblem } from '../codecs/contracts/read.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  DUPLICATE: 409,
  ALREADY_SUPERSEDED: 409,
  ALREADY_DECIDED: 409,
  INVALID_TRANSITION: 409,
  EVENT_OUT_OF_ORDER: 409,
  AMENDMENT_OUT_OF_ORDER: 409,
  APPEND_ONLY: 409,
  NOT_APPLICABLE: 422,
  LABEL_NOT_ISSUED: 422,
  OUTCOME_CONTRADICTS_FINDINGS: 422,
  COMPUTATION_LIMIT: 422,
  UNAUTHORISED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  LEDGER_KEY_UNAVAILABLE: 500,
  LEDGER_ANCHORS_DAMAGED: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  path: string;
  detail: string;
}

export function problem(code: ErrorCode, path: string, detail: string, status = statusOf(code)): ProblemBody {
  return { type: `urn:metrotrace:error:${code}`, title: ERROR_CODES[code], status, code, path, detail };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  parentSchema?: Record<string, unknown>;
}

const CONTEXT_PREFIX: Record<string, string> = { body: '', querystring: '?', params: ':', headers: '' };

/** A schema-validation failure as a problem naming the field and the rule (codecs/contracts/read.ts maps the keyword). */
function validationProblem(errors: AjvError[], context: string): ProblemBody {
  const e = errors[0]!;
  const prefix = CONTEXT_PREFIX[context] ?? '';
  const where = (p: string) => (prefix === '' ? p : prefix + p.replace(/^\//, ''));
  const p = contractProblem(
    { keyword: e.keyword, path: e.instancePath, params: e.params, data: e.data, schema: e.parentSchema, message: e.message },
    where,
    context === 'querystring' ? 'query parameter' : 'field',
  );
  return problem(p.code, p.path, p.detail);
}

/** Any thrown value as a problem; `log` receives what must not reach the client. */
export function toProblem(err: unknown, log: (e: unknown) => void): ProblemBody {
  if (err instanceof MetrologyError) return problem(err.code, err.path, err.message);
  if (isDatabaseUnreachable(err)) {
    log(err);
    return problem(
      'UNAVAILABLE',
      '',
      'the database cannot be reached just now; try again shortly (the service reconnects by itself). A write cut off by this is either wholly stored or not at all: look it up before repeating it',
    );
  }
  const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe && Array.isArray(fe.validation) && fe.validation.length > 0) return validationProblem(fe.validation, fe.validationContext ?? 'body');
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('INVALID_JSON', '', 'the body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PAYLOAD_TOO_LARGE', '', 'the body is larger than this endpoint accepts');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem('INVALID_FIELD', '', 'a path segment is too long; ids have at most 64 characters', 414);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('INVALID_FIELD', '', 'send the body as application/json', 415);
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem('INVALID_FIELD', '', fe.message.length > 200 ? `${fe.message.slice(0, 200)}…` : fe.message, fe.statusCode);
  }
  log(err);
  return problem('INTERNAL', '', 'an unexpected failure; it has been logged');
}

export function sendProblem(reply: FastifyReply, p: ProblemBody): FastifyReply {
  if (p.status === 503) reply.header('retry-after', '5');
  // the title in the client's language when it asks for Chinese; the detail (field, values, what to do) stays English
  const req = reply.request as FastifyRequest | undefined;
  const vary = reply.getHeader('vary');
  if (!/accept-language/i.test(String(vary ?? ''))) reply.header('vary', vary ? `${String(vary)}, Accept-Language` : 'Accept-Language');
  if (req && wantsChinese((req.query as { lang?: unknown } | undefined)?.lang, req.headers['accept-language'])) {
    reply.header('content-language', 'zh');
    return reply
      .status(p.status)
      .type('application/problem+json')
      .send({ ...p, title: PROBLEM_TITLES_ZH[p.code] });
  }
  return reply.status(p.status).type('application/problem+json').send(p);
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(
    reply,
    toProblem(err, (e) => request.log.error({ err: e }, 'unhandled error')),
  );
}
