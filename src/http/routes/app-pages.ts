/**
 * The web pages at /app (issue #21): server-rendered HTML over the same use
 * cases the API routes call, with the same access (ROUTE_ACCESS) and the same
 * read scopes, for people who will not write JSON. Signed in by an API key
 * exchanged for a session (app/sessions.ts); every POST carries the session's
 * CSRF token. Chinese by default, English by ?lang=en (remembered in a cookie).
 * No inline script or style: /app/app.css and /app/app.js only.
 *
 * Why server-rendered rather than a front-end built at install time: every page
 * is a view of one or two use cases, forms post as forms, and nothing needs a
 * build step, a bundle or a second language runtime to keep in step with the API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import {
  APP_CSS,
  APP_JS,
  bucketOf,
  cell,
  csrfInput,
  field,
  homeOf,
  input,
  labelTable,
  layout,
  link,
  message,
  select,
  statusBadge,
  table,
  TEXT,
  type Lang,
  type PageRole,
  type StatusBucket,
  type Viewer,
} from '../../codecs/app-html.ts';
import { renderAuditHtml } from '../../codecs/energy-report-html.ts';
import { readAuditRequest } from '../../codecs/energy.ts';
import { renderChainSvg } from '../../codecs/chain-svg.ts';
import { readToleranceFinding } from '../../codecs/traceability.ts';
import { readPlanRequest } from '../../codecs/verification.ts';
import { renderControlChartSvg } from '../../codecs/control-chart-svg.ts';
import { formatRange } from '../../codecs/certificate-html.ts';
import { labelOf } from '../../codecs/label.ts';
import { dueCsv, type StatusView } from '../../codecs/verification.ts';
import { esc } from '../../codecs/svg.ts';
import { LOT_EVENT_NAMES, lotHistoryCsv } from '../../codecs/lot-reports.ts';
import { defaultPMax, planOcChart, renderOcSvg } from '../../codecs/oc-svg.ts';
import { LOT_STATE_NAMES } from '../../core/sampling/lot.ts';
import { Decimal, parseDecimal } from '../../core/numeric/decimal.ts';
import { IMPORT_BODY_LIMIT, sendTemplate } from './imports.ts';
import { readableLot } from './lots.ts';
import { IMPORT_KINDS, type ImportKind } from '../../core/imports.ts';
import { PROBLEM_TITLES_ZH } from '../../codecs/problem-titles.ts';
import type { Caller } from '../../core/access/roles.ts';
import { addDays, parseDate } from '../../core/dates.ts';
import { fail, MetrologyError } from '../../core/errors.ts';
import { isUsable } from '../../core/verification/status.ts';
import type { Equipment } from '../../core/registry/types.ts';
import { readRecord } from '../../codecs/registry.ts';
import type { Dependent } from '../../core/traceability/impact.ts';
import { cookie, cookieOf, LANG_COOKIE, pageLang, refusedPage, sameToken, SESSION_COOKIE, SIGN_IN_COOKIE } from '../app-session.ts';
import { randomBytes } from 'node:crypto';
import { toProblem } from '../errors.ts';

type KeyCaller = Extract<Caller, { kind: 'key' }>;
type Form = Record<string, string>;
interface Upload {
  readonly fields: Form;
  readonly file: { readonly name: string; readonly bytes: Uint8Array } | null;
}

/** Days ahead the due list looks by default. */
const DUE_DAYS = 60;
/**
 * The status of a form shown again with the API's problems at its fields: a
 * page like any other (200), the problem codes in it. (A 4xx document is
 * logged by browsers as a failed load, an error in the console of a page that
 * did just what it should.) Refusals stay 403, and nothing is written.
 */
const FORM_AGAIN = 200;

/** A form shown again with its problem: answered 200 for the browser, recorded in the audit log as the refusal it is. */
function refusedAgain(req: FastifyRequest, code: string, outcome: 'refused' | 'denied' = 'refused'): number {
  req.auditOutcome = { outcome, code };
  return FORM_AGAIN;
}
/** Instruments per page of the lists. */
const PAGE_SIZE = 100;
/** Records per page of an instrument's history. */
const HISTORY_PAGE = 200;

const isFormObject = (b: unknown): b is Form => typeof b === 'object' && b !== null && !Array.isArray(b);

export function appPages(deps: AppDeps) {
  const { registry, verification, traceability, energy, imports, sessions, lots } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    // Forms post as forms; these parsers exist only for the pages (this plugin's scope).
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // (the body limit is each route's: the import page's is the import API's, every other page's the app's)
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (req: FastifyRequest, body: Buffer) => {
      // the platform's own multipart reader (undici, in Node.js itself)
      const data = await new Response(body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
      const fields: Form = {};
      let file: Upload['file'] = null;
      for (const [k, v] of data.entries()) {
        if (typeof v === 'string') fields[k] = v;
        else if (v.size > 0 || v.name) file = { name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) };
      }
      return { fields, file } satisfies Upload;
    });

    // A page that fails says so as a page (the problem's code and sentence), not as JSON.
    app.setErrorHandler(async (err, req, reply) => {
      const p = toProblem(err, (e) => req.log.error({ err: e }, 'unhandled error'));
      const lang = pageLang(req);
      const t = TEXT[lang];
      const viewer = req.caller.kind === 'key' ? await viewerOf(req).catch(() => null) : null;
      const html = layout(
        {
          lang,
          title: p.status === 404 ? t.notFound : lang === 'zh' ? PROBLEM_TITLES_ZH[p.code] : p.title,
          path: req.url.split('?')[0]!,
          viewer,
          idleMinutes: sessions.idleMinutes,
        },
        `<p id="problem" data-code="${esc(p.code)}"><code>${esc(p.code)}</code> ${esc(p.detail)}</p><p><a href="/app">${esc(t.back)}</a></p>`,
      );
      return reply.status(p.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    });

    // Every POST of a page carries the CSRF token: the session's, or before sign-in the one in the sign-in cookie.
    app.addHook('preHandler', async (req, reply) => {
      if (req.method !== 'POST') return;
      const body = req.body as Upload | Form | undefined;
      // a body that is no object (a JSON string or number sent to a page) carries no token
      const sent = isFormObject(body) ? ('fields' in body && isFormObject(body.fields) ? (body.fields as Form)._csrf : (body as Form)._csrf) : undefined;
      const expected = req.routeOptions.url === '/app/sign-in' ? cookieOf(req, SIGN_IN_COOKIE) : req.appSession?.csrfToken;
      if (sameToken(typeof sent === 'string' ? sent : undefined, expected)) return;
      await refusedPage(req, reply, 'csrf', 'the form carried no valid CSRF token (_csrf); reload the page and send it again');
      return reply;
    });

    // ?lang= is remembered for the next pages
    app.addHook('onSend', async (req, reply) => {
      const asked = (req.query as { lang?: unknown } | undefined)?.lang;
      if ((asked === 'en' || asked === 'zh') && cookieOf(req, LANG_COOKIE) !== asked)
        reply.header('set-cookie', appendCookie(reply, cookie(req, LANG_COOKIE, asked, { maxAge: 31_536_000, sameSite: 'Lax' })));
    });

    const today = () => app.today();
    const orgName = async (id: string | null) => (id === null ? 'admin' : ((await registry.getOrganisation(id).catch(() => null))?.name ?? id));

    async function viewerOf(req: FastifyRequest): Promise<Viewer> {
      const c = req.caller as KeyCaller;
      return { role: c.role as PageRole, organisation: await orgName(c.organisationId), csrfToken: req.appSession?.csrfToken ?? '' };
    }

    async function page(
      req: FastifyRequest,
      reply: FastifyReply,
      title: (t: (typeof TEXT)[Lang]) => string,
      active: string,
      body: (lang: Lang, t: (typeof TEXT)[Lang], v: Viewer) => Promise<string> | string,
      status = 200,
    ) {
      const lang = pageLang(req);
      const t = TEXT[lang];
      const viewer = await viewerOf(req);
      const html = layout(
        { lang, title: title(t), path: req.url.split('?')[0]!, query: req.query as Record<string, string>, viewer, active, idleMinutes: sessions.idleMinutes },
        await body(lang, t, viewer),
      );
      return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    }

    // ---- static files, sign-in and sign-out ----

    app.get('/app/app.css', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(APP_CSS),
    );
    app.get('/app/app.js', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(APP_JS),
    );

    app.get('/app', { schema: { hide: true } }, async (req, reply) => reply.redirect(homeOf((req.caller as KeyCaller).role as PageRole), 303));

    function signInPage(req: FastifyRequest, reply: FastifyReply, problem: string | null, status: number) {
      const lang = pageLang(req);
      const t = TEXT[lang];
      const token = randomBytes(32).toString('base64url');
      const q = req.query as { next?: string; ended?: string };
      const next = typeof q.next === 'string' && /^\/app(\/|$|\?)/.test(q.next) ? q.next : '/app';
      const body = `${q.ended === '1' && !problem ? message('error', t.sessionEnded) : ''}${problem ? message('error', t.signInFailed(problem)) : ''}
<p>${esc(t.signInIntro)}</p>
<form class="panel" method="post" action="/app/sign-in" id="sign-in-form">${csrfInput(token)}<input type="hidden" name="next" value="${esc(next)}">
${field('key', t.keyLabel, `<input id="f-key" name="key" type="password" autocomplete="off" required maxlength="200" value="">`, problem ?? undefined)}
<div class="actions"><button type="submit" id="sign-in">${esc(t.signIn)}</button></div></form>`;
      const html = layout(
        { lang, title: t.signInTitle, path: '/app/sign-in', query: { next: q.next, ended: q.ended }, viewer: null, idleMinutes: sessions.idleMinutes },
        body,
      );
      return reply
        .status(status)
        .header('set-cookie', cookie(req, SIGN_IN_COOKIE, token))
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(html);
    }

    app.get('/app/sign-in', { schema: { hide: true } }, async (req, reply) => signInPage(req, reply, null, 200));

    app.post('/app/sign-in', { schema: { hide: true } }, async (req, reply) => {
      const form = (isFormObject(req.body) ? req.body : {}) as Form;
      const result = await sessions.signIn(String(form.key ?? ''), today());
      if (!result.ok) return signInPage(req, reply, result.reason, refusedAgain(req, 'UNAUTHORISED', 'denied'));
      // the audit log records the sign-in under the key that signed in (its id, never the key)
      req.caller = result.caller;
      const next =
        typeof form.next === 'string' && /^\/app(\/|$|\?)/.test(form.next) && form.next !== '/app/sign-in' ? form.next : homeOf(result.caller.role as PageRole);
      return reply
        .status(303)
        .header('set-cookie', [cookie(req, SESSION_COOKIE, result.sessionId), cookie(req, SIGN_IN_COOKIE, '', { maxAge: 0 })])
        .header('location', next)
        .header('cache-control', 'no-store')
        .send();
    });

    app.post('/app/sign-out', { schema: { hide: true } }, async (req, reply) => {
      if (req.appSession) await sessions.signOut(req.appSession.id);
      return reply
        .status(303)
        .header('set-cookie', cookie(req, SESSION_COOKIE, '', { maxAge: 0 }))
        .header('location', '/app/sign-in')
        .send();
    });

    // ---- instruments and their status ----

    /**
     * Each instrument with its status today, as GET /v1/equipment/{id}/status
     * gives it: all of them worked out together from one load of their chains
     * (VerificationService.statusMany), not one by one.
     */
    async function withStatus(items: readonly Equipment[], known?: ReadonlyMap<string, StatusView>) {
      const statuses =
        known ??
        (await verification.statusMany(
          items.map((e) => e.id),
          today(),
        ));
      return items.flatMap((e) => {
        const v = statuses.get(e.id);
        return v ? [{ e, label: labelOf(v) }] : [];
      });
    }

    function instrumentRows(lang: Lang, rows: Awaited<ReturnType<typeof withStatus>>): string[][] {
      return rows.map(({ e, label }) => [
        link(`/app/instruments/${encodeURIComponent(e.id)}`, e.id),
        cell(e.name),
        cell(e.assetCode),
        cell(e.ownerId),
        statusBadge(lang, label.state, label.usable),
        cell(label.validUntil),
        cell(label.certificateNo),
      ]);
    }

    app.get<{ Querystring: { cursor?: string; owner?: string; lang?: string } }>('/app/instruments', { schema: { hide: true } }, async (req, reply) => {
      const scope = await app.visibility.scopeOf(req.caller);
      const list = await registry.listEquipment(
        { visibleTo: scope, ownerId: req.query.owner || undefined },
        { limit: PAGE_SIZE, after: req.query.cursor || null },
      );
      const rows = await withStatus(list.items);
      return page(
        req,
        reply,
        (t) => t.instrumentsTitle,
        'instruments',
        (lang, t) => {
          const counts = new Map<StatusBucket, number>();
          for (const r of rows) {
            const b = bucketOf(r.label.state, r.label.usable);
            counts.set(b, (counts.get(b) ?? 0) + 1);
          }
          const summary = `<ul class="counts" id="counts">${[...counts].map(([b, n]) => `<li><span class="badge ${b}">${esc(t.bucket[b])}</span> ${n}</li>`).join('')}</ul>`;
          const more = list.lastId
            ? `<p>${link(`/app/instruments?${new URLSearchParams({ ...(req.query.owner ? { owner: req.query.owner } : {}), cursor: list.lastId })}`, t.more)}</p>`
            : '';
          return rows.length === 0
            ? `<p>${esc(t.none)}</p>`
            : `<h2>${esc(t.counts)}</h2>${summary}${table(
                'instruments',
                [t.col.id, t.col.name, t.col.asset, t.col.owner, t.col.status, t.col.validUntil, t.col.certificate],
                instrumentRows(lang, rows),
                rows.map((r) => `data-id="${esc(r.e.id)}" data-state="${esc(r.label.state)}"`),
              )}${more}`;
        },
      );
    });

    app.get<{ Params: { id: string }; Querystring: { lang?: string; since?: string; after?: string } }>(
      '/app/instruments/:id',
      { schema: { hide: true } },
      async (req, reply) => {
        const id = req.params.id;
        await app.visibility.equipment(req.caller, [id]);
        // the history a page at a time (as GET /v1/equipment/{id}/calibrations pages it), saying when there is more
        const after = typeof req.query.after === 'string' && req.query.after !== '' ? req.query.after : null;
        const [status, records, events] = await Promise.all([
          verification.status(id, today()),
          registry.listRecords({ subjectId: id }, { limit: HISTORY_PAGE, after }),
          registry.listEvents(id),
        ]);
        const label = labelOf(status);
        const standard = status.equipment.level !== 'working_instrument';
        // a standard's impact list since a date (its last known good day), as GET /v1/equipment/{id}/dependents gives it
        const since = standard && req.query.since ? parseDate(req.query.since, '?since') : null;
        const impact = since === null ? null : await app.visibility.dependents(req.caller, await traceability.impact(id, since));
        return page(
          req,
          reply,
          (t) => `${t.instrumentTitle} ${id}`,
          '',
          (lang, t) => {
            const recordRows = records.items.map(({ record: r, supersededBy }) => [
              cell(r.certificateNo),
              cell(TEXT[lang].kinds[r.kind] ?? r.kind),
              cell(r.labId),
              cell(r.performedOn),
              cell(r.validUntil),
              cell(r.conformity ? (t.conformities[r.conformity] ?? r.conformity) : null) + (supersededBy ? ` <small>→ ${esc(supersededBy)}</small>` : ''),
            ]);
            const impactSection = (_lang: Lang, t: (typeof TEXT)[Lang]) => {
              const form = `<form class="inline" method="get" action="/app/instruments/${esc(encodeURIComponent(id))}">${field('since', t.impactSince, input('since', since ?? '', 'type="date" required'))}<button type="submit" id="impact">${esc(t.show)}</button></form>`;
              return `<h2>${esc(t.impactTitle)}</h2><p>${esc(t.impactIntro)}</p>${form}${impact === null ? '' : impactTable(t, impact)}`;
            };
            const historyMore = (t: (typeof TEXT)[Lang]) => {
              const first = after === null ? `` : `<a id="history-first" href="/app/instruments/${esc(encodeURIComponent(id))}">${esc(t.back)}</a> · `;
              if (records.lastId === null) return after === null ? '' : `<p>${first}</p>`;
              const next = new URLSearchParams({ ...(since ? { since } : {}), after: records.lastId });
              return `<p id="history-more">${esc(t.historyCut(HISTORY_PAGE))} ${first}<a id="history-next" href="/app/instruments/${esc(encodeURIComponent(id))}?${esc(next.toString())}">${esc(t.more)}</a></p>`;
            };
            const eventRows = events.map((e) => [
              cell(e.effectiveOn),
              cell(e.kind),
              cell(e.reason ?? e.location ?? e.newOwnerId ?? e.assessment?.certificateNo ?? null),
            ]);
            return `${labelTable(lang, label)}
<h2>${esc(t.chain)}</h2><div class="chain"><img id="chain" src="/app/instruments/${esc(encodeURIComponent(id))}/chain.svg" alt="${esc(t.chain)}"></div>
<h2>${esc(t.controlChart)}</h2><div class="chain"><img id="control-chart" src="/app/instruments/${esc(encodeURIComponent(id))}/control-chart.svg" alt="${esc(t.controlChart)}"></div>
<h2>${esc(t.history)}</h2>${recordRows.length ? table('history', [t.col.certificate, t.col.kind, t.col.lab, t.col.verifiedOn, t.col.validUntil, t.col.conformity], recordRows) : `<p>${esc(t.none)}</p>`}${historyMore(t)}
<h2>${esc(t.events)}</h2>${eventRows.length ? table('events', [t.col.date, t.col.event, t.col.detail], eventRows) : `<p>${esc(t.none)}</p>`}${standard ? impactSection(lang, t) : ''}`;
          },
        );
      },
    );

    app.get<{ Params: { id: string } }>('/app/instruments/:id/chain.svg', { schema: { hide: true } }, async (req, reply) => {
      await app.visibility.equipment(req.caller, [req.params.id]);
      const trace = await traceability.trace(req.params.id, today());
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-store').send(renderChainSvg(trace));
    });

    app.get<{ Params: { id: string } }>('/app/instruments/:id/control-chart.svg', { schema: { hide: true } }, async (req, reply) => {
      await app.visibility.equipment(req.caller, [req.params.id]);
      const { equipment, points } = await verification.asFound(req.params.id);
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-store').send(renderControlChartSvg(equipment, points));
    });

    // ---- due list ----

    async function dueItems(req: FastifyRequest<{ Querystring: { to?: string; region?: string } }>) {
      const from = today();
      const to = req.query.to ? parseDate(req.query.to, '?to') : addDays(from, DUE_DAYS);
      const filter = await app.visibility.dueFilter(req.caller, { from, to, regionCode: req.query.region || undefined, asKnownAt: null });
      return { from, to, items: await verification.due(filter) };
    }

    app.get<{ Querystring: { to?: string; region?: string; lang?: string } }>('/app/due', { schema: { hide: true } }, async (req, reply) => {
      let due: Awaited<ReturnType<typeof dueItems>> | null = null;
      let problem: MetrologyError | null = null;
      try {
        due = await dueItems(req);
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        problem = e;
      }
      return page(
        req,
        reply,
        (t) => t.dueTitle,
        'due',
        (lang, t) => {
          const caller = req.caller as KeyCaller;
          const regional = caller.role === 'inspector' || caller.role === 'auditor' || caller.role === 'admin';
          const to = due?.to ?? req.query.to ?? addDays(today(), DUE_DAYS);
          const form = `<form class="inline" method="get" action="/app/due">${field('to', t.dueTo, input('to', to, 'type="date" required'), problem?.path === '?to' ? problem.message : undefined)}${regional ? field('region', t.regionLabel, input('region', req.query.region ?? '', 'inputmode="numeric" maxlength="6"'), problem && problem.path !== '?to' ? problem.message : undefined) : ''}<button type="submit">${esc(t.show)}</button></form>`;
          if (!due) return form;
          const csvQuery = new URLSearchParams({ to: due.to, lang, ...(req.query.region ? { region: req.query.region } : {}) });
          const rows = due.items.map((d) => [
            link(`/app/instruments/${encodeURIComponent(d.status.equipmentId)}`, d.status.equipmentId),
            cell(d.name),
            cell(d.assetCode),
            cell(d.ownerName),
            cell(d.regionCode),
            statusBadge(lang, d.status.state, isUsable(d.status)),
            cell(d.status.dueOn),
            cell(d.status.daysToDue),
          ]);
          return `${form}<p><a id="due-csv" href="/app/due.csv?${esc(csvQuery.toString())}">${esc(t.csv)}</a> · ${due.items.length}</p>${rows.length ? table('due', [t.col.id, t.col.name, t.col.asset, t.col.owner, t.col.region, t.col.status, t.col.dueOn, t.col.days], rows) : `<p>${esc(t.none)}</p>`}`;
        },
        problem ? refusedAgain(req, problem.code) : 200,
      );
    });

    app.get<{ Querystring: { to?: string; region?: string; lang?: string } }>('/app/due.csv', { schema: { hide: true } }, async (req, reply) => {
      const { items, to } = await dueItems(req);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="due-${to}.csv"`)
        .send(dueCsv(items, { lang: pageLang(req), bom: true }));
    });

    // ---- import ----

    function importForm(t: (typeof TEXT)[Lang], lang: Lang, v: Viewer, problem?: string): string {
      // a lab (or an admin) also imports the certificates it issued; an owner only its equipment (POST /v1/imports refuses it records);
      // labs' scopes and CMCs only an admin (as the routes that declare them)
      const kinds = v.role === 'admin' ? ['equipment', 'records', 'scopes', 'cmcs'] : v.role === 'lab' ? ['equipment', 'records'] : ['equipment'];
      const templates = kinds.flatMap((k) => ['csv', 'xlsx'].map((f) => link(`/app/imports/templates/${k}.${f}?lang=${lang}`, `${k}.${f}`))).join(' · ');
      const kindField =
        kinds.length > 1 ? field('kind', t.registerKind, select('kind', 'equipment', Object.fromEntries(kinds.map((k) => [k, t.registerKinds[k]!])))) : '';
      return `<p>${esc(t.importIntro)}</p><p><small>${esc(t.template(''))}${templates}</small></p>
<form class="panel" method="post" action="/app/import" enctype="multipart/form-data" id="import-form">${csrfInput(v.csrfToken)}
${kindField}${field('file', t.file, `<input id="f-file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required>`, problem)}
${field('mode', t.mode, select('mode', 'valid-rows', { 'valid-rows': t.modeValid, 'all-or-nothing': t.modeAll }))}
<div class="actions"><button type="submit" name="action" value="dry-run" id="dry-run">${esc(t.dryRun)}</button><button type="submit" name="action" value="commit" class="secondary" id="commit">${esc(t.commit)}</button><span id="chosen-file"></span></div></form>`;
    }

    app.get('/app/import', { schema: { hide: true } }, async (req, reply) =>
      page(
        req,
        reply,
        (t) => t.importTitle,
        'import',
        (lang, t, v) => importForm(t, lang, v),
      ),
    );

    app.post('/app/import', { schema: { hide: true }, bodyLimit: IMPORT_BODY_LIMIT }, async (req, reply) => {
      const upload = req.body as Upload;
      if (!upload?.file || upload.file.bytes.length === 0) {
        return page(
          req,
          reply,
          (t) => t.importTitle,
          'import',
          (lang, t, v) => importForm(t, lang, v, lang === 'zh' ? '请选择一个 CSV 或 XLSX 文件。' : 'Choose a CSV or XLSX file.'),
          refusedAgain(req, 'MISSING_FIELD'),
        );
      }
      const format = /\.xlsx$/i.test(upload.file.name) ? 'xlsx' : 'csv';
      try {
        const { finished } = await imports.start(req.caller, {
          kind: (IMPORT_KINDS as readonly string[]).includes(upload.fields.kind ?? '') ? (upload.fields.kind as ImportKind) : 'equipment',
          format,
          bytes: upload.file.bytes,
          fileName: upload.file.name,
          dryRun: upload.fields.action !== 'commit',
          mode: upload.fields.mode === 'all-or-nothing' ? 'all-or-nothing' : 'valid-rows',
          ownerId: null,
        });
        const job = await finished;
        return reply
          .status(303)
          .header('location', `/app/imports/${encodeURIComponent(job.id)}`)
          .send();
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        return page(
          req,
          reply,
          (t) => t.importTitle,
          'import',
          (lang, t, v) => importForm(t, lang, v, `${e.code}: ${e.message}`),
          refusedAgain(req, e.code),
        );
      }
    });

    app.get<{ Params: { id: string } }>('/app/imports/:id', { schema: { hide: true } }, async (req, reply) => {
      const job = await imports.get(req.caller, req.params.id);
      return page(
        req,
        reply,
        (t) => t.jobTitle(job.dryRun),
        'import',
        (lang, t, v) => {
          const problems = [...job.fileProblems.map((p) => ({ ...p })), ...job.rows.flatMap((r) => r.problems)];
          const counts = Object.entries(job.counts)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `<li data-status="${esc(s)}">${esc(t.rowStatus[s] ?? s)}: <strong>${n}</strong></li>`)
            .join('');
          const rows = problems.map((p) => [cell(p.row), cell(p.column), `<code>${esc(p.code)}</code>`, cell(p.message)]);
          return `<section id="job" data-status="${esc(job.status)}" data-dry-run="${job.dryRun}" data-problems="${problems.length}">
<p>${esc(job.fileName ?? '')} — ${esc(t.jobSummary(job.totalRows))} <a id="report-csv" href="/app/imports/${esc(encodeURIComponent(job.id))}/report.csv?lang=${lang}">${esc(t.reportCsv)}</a></p>
<ul class="counts" id="job-counts">${counts}</ul>
<h2>${esc(t.problemsTitle)} (${problems.length})</h2>
${
  rows.length
    ? table(
        'problems',
        [t.col.row, t.col.column, t.col.code, t.col.message],
        rows,
        rows.map(() => 'class="problem"'),
      )
    : `<p id="no-problems">${esc(t.noProblems)}</p>`
}
</section>${importForm(t, lang, v)}`;
        },
      );
    });

    // the templates of GET /v1/imports/templates/{file}, in the page language, by the same helper
    app.get<{ Params: { file: string } }>('/app/imports/templates/:file', { schema: { hide: true } }, async (req, reply) =>
      sendTemplate(reply, req.params.file, pageLang(req)),
    );

    app.get<{ Params: { id: string } }>('/app/imports/:id/report.csv', { schema: { hide: true } }, async (req, reply) => {
      const job = await imports.get(req.caller, req.params.id);
      const { importReportCsv } = await import('../../codecs/import-report.ts');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${job.id}-report.csv"`)
        .send(importReportCsv(job, pageLang(req)));
    });

    // ---- search (inspector) ----

    app.get<{ Querystring: { q?: string; lang?: string } }>('/app/search', { schema: { hide: true } }, async (req, reply) => {
      const q = (req.query.q ?? '').trim().slice(0, 200);
      const scope = await app.visibility.scopeOf(req.caller);
      const found = new Map<string, { e: Equipment; by: Set<string> }>();
      const add = (e: Equipment, by: string) => (found.get(e.id) ?? found.set(e.id, { e, by: new Set() }).get(e.id)!).by.add(by);
      let located: Map<string, StatusView> | undefined;
      if (q !== '') {
        // by certificate number, asset code and owner as the API lists them (GET /v1/calibrations?certificateNo, /v1/equipment?assetCode, ?owner)
        const records = await registry.listRecords({ certificateNo: q, visibleTo: scope }, { limit: 50, after: null });
        for (const { record } of records.items) add(await registry.getEquipment(record.subjectId), 'certificate');
        for (const e of (await registry.listEquipment({ assetCode: q, visibleTo: scope }, { limit: 50, after: null })).items) add(e, 'asset');
        const owners = (await registry.listOrganisations({}, { limit: 1000, after: null })).items.filter((o) => o.id === q || o.name.includes(q));
        for (const o of owners.slice(0, 5))
          for (const e of (await registry.listEquipment({ ownerId: o.id, visibleTo: scope }, { limit: 50, after: null })).items) add(e, 'owner');
        // by location: where each visible instrument is today (its latest relocation), as the label says it,
        // from their statuses worked out together (which the rows then show)
        if (found.size === 0) {
          const all = await registry.listEquipment({ visibleTo: scope }, { limit: 1000, after: null });
          located = await verification.statusMany(
            all.items.map((e) => e.id),
            today(),
          );
          for (const e of all.items) if (located.get(e.id)?.location?.includes(q)) add(e, 'location');
        }
      }
      const rows = await withStatus(
        [...found.values()].map((f) => f.e),
        located,
      );
      return page(
        req,
        reply,
        (t) => t.searchTitle,
        'search',
        (lang, t) => {
          const form = `<form class="inline" method="get" action="/app/search" role="search">${field('q', t.searchLabel, input('q', q, 'type="search" required maxlength="200" autofocus'))}<button type="submit" id="search">${esc(t.searchButton)}</button></form>`;
          if (q === '') return form;
          if (rows.length === 0) return `${form}<p id="no-results">${esc(t.searchNone)}</p>`;
          const by = (id: string) => [...found.get(id)!.by].map((b) => t.searchBy[b] ?? b).join(', ');
          return `${form}${table(
            'results',
            [t.col.id, t.col.name, t.col.asset, t.col.owner, t.col.status, t.col.validUntil, t.col.certificate, ''],
            instrumentRows(lang, rows).map((r, i) => [...r, `<small>${esc(by(rows[i]!.e.id))}</small>`]),
            rows.map((r) => `data-id="${esc(r.e.id)}"`),
          )}`;
        },
      );
    });

    // ---- lab: standards and recording a result ----

    app.get('/app/standards', { schema: { hide: true } }, async (req, reply) => {
      const c = req.caller as KeyCaller;
      const scope = await app.visibility.scopeOf(req.caller);
      const list = await registry.listEquipment({ ownerId: c.organisationId ?? undefined, visibleTo: scope }, { limit: 1000, after: null });
      const standards = list.items.filter((e) => e.level !== 'working_instrument');
      // its authorised scope and CMCs today, as GET /v1/organisations/{id}/scopes and /cmcs give them
      const [scopes, cmcs] =
        c.organisationId === null
          ? [[], []]
          : await Promise.all([registry.listScopes(c.organisationId, today()), registry.listCmcs(c.organisationId, today())]);
      const rows: Array<{ e: Equipment; label: ReturnType<typeof labelOf>; assessment: Equipment['assessment']; first: string }> = [];
      // their statuses together; each status carries the standard as it is today (its 考核证书 renewals applied)
      const statuses = await verification.statusMany(
        standards.map((e) => e.id),
        today(),
      );
      for (const e of standards) {
        const status = statuses.get(e.id);
        if (!status) continue;
        const label = labelOf(status);
        const assessment = status.equipment.assessment;
        const ends = [label.validUntil, assessment?.validUntil ?? null].filter((d): d is string => d !== null).sort();
        rows.push({ e, label, assessment, first: ends[0] ?? '' });
      }
      // expiring first; those with no date at the end
      rows.sort((a, b) => (a.first === b.first ? a.e.id.localeCompare(b.e.id) : a.first === '' ? 1 : b.first === '' ? -1 : a.first < b.first ? -1 : 1));
      return page(
        req,
        reply,
        (t) => t.standardsTitle,
        'standards',
        (_lang, t) => {
          const body = rows.map(({ e, label, assessment }) => [
            link(`/app/instruments/${encodeURIComponent(e.id)}`, e.id),
            cell(e.name),
            cell(e.level),
            cell(label.certificateNo),
            cell(label.validUntil) + (label.validUntil && label.validUntil < today() ? ` <span class="badge prohibited">${esc(t.expired)}</span>` : ''),
            cell(assessment?.certificateNo ?? null),
            cell(assessment?.validUntil ?? null) +
              (assessment && assessment.validUntil < today() ? ` <span class="badge prohibited">${esc(t.expired)}</span>` : ''),
          ]);
          const scopeRows = scopes.map((sc) => [
            cell(sc.quantity),
            cell(sc.category),
            cell(sc.range ? formatRange(sc.range) : null),
            cell(sc.mandatoryVerification ? '✓' : '—'),
            cell(sc.validFrom),
            cell(sc.validUntil),
            cell(sc.authorisationNo ?? null),
          ]);
          const cmcRows = cmcs.map((m) => [
            cell(m.quantity),
            cell(formatRange(m.range)),
            cell(m.expandedUncertainty ?? (m.relativeExpandedUncertainty === null ? null : `${m.relativeExpandedUncertainty} (rel.)`)),
            cell(m.coverageFactor),
            cell(m.validFrom),
            cell(m.validUntil),
          ]);
          const more = `<h2>${esc(t.scopesTitle)}</h2>${scopeRows.length ? table('scopes', [t.col.quantity, t.col.category, t.col.range, t.col.mandatory, t.col.validFrom, t.col.validUntil, t.col.authorisation], scopeRows) : `<p>${esc(t.none)}</p>`}
<h2>${esc(t.cmcsTitle)}</h2>${cmcRows.length ? table('cmcs', [t.col.quantity, t.col.range, t.col.uncertainty, 'k', t.col.validFrom, t.col.validUntil], cmcRows) : `<p>${esc(t.none)}</p>`}`;
          return `<p>${esc(t.standardsIntro)}</p>${
            body.length
              ? table(
                  'standards',
                  [t.col.id, t.col.name, t.col.level, t.col.certificate, t.col.validUntil, t.col.assessment, t.col.assessmentValid],
                  body,
                  rows.map((r) => `data-id="${esc(r.e.id)}"`),
                )
              : `<p>${esc(t.none)}</p>`
          }${more}`;
        },
      );
    });

    const RECORD_FIELDS = [
      'kind',
      'subjectId',
      'certificateNo',
      'performedOn',
      'validUntil',
      'conformity',
      'referenceIds',
      'verificationType',
      'procedure',
      'verifier',
      'checker',
      'approver',
      'nominal',
      'asFound',
      'unit',
    ] as const;

    function recordForm(t: (typeof TEXT)[Lang], v: Viewer, values: Form, errors: Record<string, string>, general: string | null): string {
      const val = (k: string) => values[k] ?? '';
      const f = (k: string, control: string) => field(k, t.f[k] ?? k, control, errors[k]);
      const admin = v.role === 'admin';
      return `${general !== null ? message('error', `${t.formErrors} ${general}`, 'form-errors') : ''}<p>${esc(t.recordIntro)}</p>
<form class="panel" method="post" action="/app/record" id="record-form" novalidate>${csrfInput(v.csrfToken)}
${admin ? field('labId', 'labId', input('labId', val('labId'), 'required'), errors.labId) : ''}
${f('kind', select('kind', val('kind') || 'verification', t.kinds))}
${f('subjectId', input('subjectId', val('subjectId'), 'required maxlength="200"'))}
${f('certificateNo', input('certificateNo', val('certificateNo'), 'required maxlength="200"'))}
${f('performedOn', input('performedOn', val('performedOn'), 'type="date" required'))}
${f('validUntil', input('validUntil', val('validUntil'), 'type="date"'))}
${f('conformity', select('conformity', val('conformity') || 'pass', t.conformities))}
${f('referenceIds', input('referenceIds', val('referenceIds'), 'maxlength="1000"'))}
${f('verificationType', select('verificationType', val('verificationType'), t.verificationTypes))}
${f('procedure', input('procedure', val('procedure'), 'maxlength="200"'))}
${f('verifier', input('verifier', val('verifier'), 'maxlength="100"'))}
${f('checker', input('checker', val('checker'), 'maxlength="100"'))}
${f('approver', input('approver', val('approver'), 'maxlength="100"'))}
${f('nominal', input('nominal', val('nominal'), 'inputmode="decimal" maxlength="50"'))}
${f('asFound', input('asFound', val('asFound'), 'inputmode="decimal" maxlength="50"'))}
${f('unit', input('unit', val('unit'), 'maxlength="16"'))}
<div class="actions"><button type="submit" id="record-submit">${esc(t.save)}</button></div></form>`;
    }

    app.get<{ Querystring: { saved?: string } }>('/app/record', { schema: { hide: true } }, async (req, reply) => {
      // the record just written, read back (as GET /v1/calibrations/{id}), so that a link cannot claim one
      let saved = null;
      if (req.query.saved) {
        await app.visibility.records(req.caller, [req.query.saved], '?saved');
        saved = (await registry.getRecord(req.query.saved)).record;
      }
      return page(
        req,
        reply,
        (t) => t.recordTitle,
        'record',
        (_lang, t, v) =>
          `${saved ? message('ok', t.saved(saved.certificateNo)) + `<p>${link(`/app/instruments/${encodeURIComponent(saved.subjectId)}`, saved.subjectId)}</p>` : ''}${recordForm(t, v, {}, {}, null)}`,
      );
    });

    app.post('/app/record', { schema: { hide: true } }, async (req, reply) => {
      const form = (isFormObject(req.body) ? req.body : {}) as Form;
      const c = req.caller as KeyCaller;
      const values: Form = Object.fromEntries([...RECORD_FIELDS, 'labId'].map((k) => [k, typeof form[k] === 'string' ? form[k]!.trim() : '']));
      const body = recordBody(values, c);
      try {
        const record = readRecord(body, registry.newId);
        const stored = await registry.createRecord(record, undefined, req.caller);
        return reply
          .status(303)
          .header('location', `/app/record?${new URLSearchParams({ saved: stored.record.id })}`)
          .send();
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        const at = fieldOfPointer(e.path);
        const errors: Record<string, string> = {};
        if (at !== null) errors[at] = `${e.code}: ${e.message}`;
        return page(
          req,
          reply,
          (t) => t.recordTitle,
          'record',
          (_lang, t, v) => recordForm(t, v, values, errors, at === null ? `${e.code}: ${e.message}` : `${e.code} (${t.f[at] ?? at})`),
          refusedAgain(req, e.code),
        );
      }
    });

    // ---- lab: out-of-tolerance findings and their impact lists ----

    /** The standards a lab may record findings on (its own, as POST /v1/equipment/{id}/out-of-tolerance admits), and their ids. */
    async function ownStandards(caller: KeyCaller): Promise<Equipment[]> {
      if (caller.organisationId === null) return [];
      // every page of the lab's register: a lab with more than one page of instruments still sees all its standards and their findings
      const standards: Equipment[] = [];
      for (let after: string | null = null; ; ) {
        const page = await registry.listEquipment({ ownerId: caller.organisationId }, { limit: 1000, after });
        standards.push(...page.items.filter((e) => e.level !== 'working_instrument'));
        if (page.lastId === null) return standards;
        after = page.lastId;
      }
    }

    function findingForm(
      t: (typeof TEXT)[Lang],
      v: Viewer,
      standards: readonly Equipment[],
      values: Form,
      errors: Record<string, string>,
      general: string | null,
    ): string {
      const val = (k: string) => values[k] ?? '';
      const f = (k: string, control: string) => field(k, t.f[k] ?? k, control, errors[k]);
      const which =
        v.role === 'admin'
          ? input('equipmentId', val('equipmentId'), 'required maxlength="200"')
          : select('equipmentId', val('equipmentId'), Object.fromEntries(standards.map((e) => [e.id, `${e.name} (${e.id})`])));
      return `<h2>${esc(t.recordFindingTitle)}</h2>${general !== null ? message('error', `${t.formErrors} ${general}`, 'form-errors') : ''}<p>${esc(t.recordFindingIntro)}</p>
<form class="panel" method="post" action="/app/findings" id="finding-form" novalidate>${csrfInput(v.csrfToken)}
${f('equipmentId', which)}
${f('foundOn', input('foundOn', val('foundOn') || today(), 'type="date" required'))}
${f('lastKnownGood', input('lastKnownGood', val('lastKnownGood'), 'type="date" required'))}
${f('remarks', input('remarks', val('remarks'), 'maxlength="2000"'))}
<div class="actions"><button type="submit" id="finding-submit">${esc(t.save)}</button></div></form>`;
    }

    async function findingsPage(req: FastifyRequest, reply: FastifyReply, values: Form, errors: Record<string, string>, general: string | null, status = 200) {
      const c = req.caller as KeyCaller;
      const standards = await ownStandards(c);
      const own = new Set(standards.map((e) => e.id));
      // the findings on its own standards (an admin: all), each with how many instruments its impact list holds for this key
      const findings = (await traceability.findings()).filter((f) => c.role === 'admin' || own.has(f.equipmentId)).reverse();
      const affected = new Map<string, number>();
      for (const f of findings)
        affected.set(f.id, (await app.visibility.dependents(req.caller, await traceability.impact(f.equipmentId, f.lastKnownGood))).length);
      return page(
        req,
        reply,
        (t) => t.findingsTitle,
        'findings',
        (_lang, t, v) => {
          const rows = findings.map((f) => [
            link(`/app/findings/${encodeURIComponent(f.id)}`, f.id),
            link(`/app/instruments/${encodeURIComponent(f.equipmentId)}`, f.equipmentId),
            cell(f.foundOn),
            cell(f.lastKnownGood),
            cell(f.remarks),
            link(`/app/findings/${encodeURIComponent(f.id)}`, `${t.impactList} (${affected.get(f.id) ?? 0})`),
          ]);
          const list = rows.length
            ? table(
                'findings',
                [t.col.finding, t.col.standard, t.col.foundOn, t.col.lastKnownGood, t.col.remarks, t.col.impacted],
                rows,
                findings.map((f) => `data-id="${esc(f.id)}" data-affected="${affected.get(f.id) ?? 0}"`),
              )
            : `<p id="no-findings">${esc(t.none)}</p>`;
          return `<p>${esc(t.findingsIntro)}</p>${list}${findingForm(t, v, standards, values, errors, general)}`;
        },
        status,
      );
    }

    app.get('/app/findings', { schema: { hide: true } }, async (req, reply) => findingsPage(req, reply, {}, {}, null));

    app.post('/app/findings', { schema: { hide: true } }, async (req, reply) => {
      const form = (isFormObject(req.body) ? req.body : {}) as Form;
      const values: Form = Object.fromEntries(
        ['equipmentId', 'foundOn', 'lastKnownGood', 'remarks'].map((k) => [k, typeof form[k] === 'string' ? form[k]!.trim() : '']),
      );
      // the JSON POST /v1/equipment/{id}/out-of-tolerance would carry: what is empty is left out
      const body = Object.fromEntries(['foundOn', 'lastKnownGood', 'remarks'].filter((k) => values[k] !== '').map((k) => [k, values[k]]));
      try {
        await traceability.checkFindingWriter(req.caller, values.equipmentId!);
        const finding = await traceability.recordOutOfTolerance(readToleranceFinding(body, values.equipmentId!, traceability.newId));
        return reply
          .status(303)
          .header('location', `/app/findings/${encodeURIComponent(finding.id)}?saved=1`)
          .send();
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        // a problem of the whole request (no such standard, not this lab's) is the standard's
        const at = fieldOfPointer(e.path) ?? 'equipmentId';
        return findingsPage(
          req,
          reply,
          values,
          { [at]: `${e.code}: ${e.message}` },
          `${e.code} (${TEXT[pageLang(req)].f[at] ?? at})`,
          refusedAgain(req, e.code),
        );
      }
    });

    app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/app/findings/:id', { schema: { hide: true } }, async (req, reply) => {
      const finding = await traceability.finding(req.params.id);
      // as GET /v1/equipment/{id}/dependents?since={last known good}: the standard must be readable, the list is what this key may see;
      // a finding on a standard this key may not read is answered as one that does not exist, so that its id tells nothing
      try {
        await app.visibility.equipment(req.caller, [finding.equipmentId]);
      } catch (e) {
        if (e instanceof MetrologyError && e.code === 'FORBIDDEN') fail('NOT_FOUND', '', `no out-of-tolerance finding has id '${req.params.id}'`);
        throw e;
      }
      const impact = await app.visibility.dependents(req.caller, await traceability.impact(finding.equipmentId, finding.lastKnownGood));
      return page(
        req,
        reply,
        (t) => t.findingTitle(finding.id),
        'findings',
        (_lang, t) => {
          const facts: Array<[string, string]> = [
            [t.col.standard, link(`/app/instruments/${encodeURIComponent(finding.equipmentId)}`, finding.equipmentId)],
            [t.col.foundOn, cell(finding.foundOn)],
            [t.col.lastKnownGood, cell(finding.lastKnownGood)],
            [t.col.remarks, cell(finding.remarks)],
          ];
          return `${req.query.saved === '1' ? message('ok', t.findingSaved(finding.id)) : ''}<table class="facts" id="finding">${facts.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>
<h2>${esc(t.impactList)} (${impact.length})</h2><p>${esc(t.findingIntro(finding.equipmentId, finding.lastKnownGood))}</p>${impactTable(t, impact)}`;
        },
      );
    });

    // ---- inspector: verification capacity plans ----

    function planForm(t: (typeof TEXT)[Lang], v: Viewer, values: Form, errors: Record<string, string>): string {
      const f = (k: string, control: string) => field(k, t.f[k] ?? k, control, errors[k]);
      return `<form class="panel" method="post" action="/app/plans" id="plan-form" novalidate>${csrfInput(v.csrfToken)}
${f('from', input('from', values.from || today(), 'type="date" required'))}
${f('months', input('months', values.months || '12', 'inputmode="numeric" required maxlength="3"'))}
${f('regionCode', input('regionCode', values.regionCode ?? '', 'inputmode="numeric" maxlength="6"'))}
${f('category', input('category', values.category ?? '', 'maxlength="16"'))}
<div class="actions"><button type="submit" id="run-plan">${esc(t.runPlan)}</button></div></form>`;
    }

    async function plansPage(req: FastifyRequest, reply: FastifyReply, values: Form, errors: Record<string, string>, status = 200) {
      // the capacities as GET /v1/verification-capacities lists them
      const capacities = await verification.listCapacities();
      return page(
        req,
        reply,
        (t) => t.plansTitle,
        'plans',
        (_lang, t, v) => {
          const rows = capacities.map((c) => [cell(c.labId), cell(c.category), cell(c.monthly), cell(c.validFrom), cell(c.validUntil)]);
          return `<p>${esc(t.plansIntro)}</p>${planForm(t, v, values, errors)}<h2>${esc(t.capacitiesTitle)}</h2>${rows.length ? table('capacities', [t.col.labId, t.col.category, t.col.monthly, t.col.validFrom, t.col.validUntil], rows) : `<p>${esc(t.none)}</p>`}`;
        },
        status,
      );
    }

    app.get('/app/plans', { schema: { hide: true } }, async (req, reply) => plansPage(req, reply, {}, {}));

    app.post('/app/plans', { schema: { hide: true } }, async (req, reply) => {
      const form = (isFormObject(req.body) ? req.body : {}) as Form;
      const values: Form = Object.fromEntries(['from', 'months', 'regionCode', 'category'].map((k) => [k, typeof form[k] === 'string' ? form[k]!.trim() : '']));
      // the JSON POST /v1/verification-plans would carry: months a number when it is one (else as typed, for the use case to refuse), what is empty left out
      const body: { [field: string]: unknown; regionCode?: string } = {
        from: values.from,
        months: /^[0-9]{1,9}$/.test(values.months!) ? Number(values.months) : values.months,
      };
      if (values.regionCode) body.regionCode = values.regionCode;
      if (values.category) body.category = values.category;
      try {
        const { id } = await verification.plan(readPlanRequest(await verification.scopePlanRequest(req.caller, body), verification.newId));
        return reply
          .status(303)
          .header('location', `/app/plans/${encodeURIComponent(id)}`)
          .send();
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        const at = fieldOfPointer(e.path) ?? 'from';
        return plansPage(req, reply, values, { [at]: `${e.code}: ${e.message}` }, refusedAgain(req, e.code));
      }
    });

    app.get<{ Params: { id: string } }>('/app/plans/:id', { schema: { hide: true } }, async (req, reply) => {
      // as GET /v1/verification-plans/{id}: for an inspector of the region it was made for
      await app.visibility.plan(req.caller, req.params.id);
      const { id, plan } = await verification.getPlan(req.params.id);
      return page(
        req,
        reply,
        (t) => t.planTitle(id),
        'plans',
        (_lang, t) => {
          const overflow = plan.overflow.map((o) => [cell(o.month), cell(o.category), cell(o.count), cell(o.unplaced)]);
          const load = plan.load.map((l) => [cell(l.labId), cell(l.month), cell(l.category), cell(l.assigned), cell(l.capacity)]);
          const unplaced = plan.unplaced.map((u) => [
            link(`/app/instruments/${encodeURIComponent(u.equipmentId)}`, u.equipmentId),
            cell(u.category),
            cell(u.dueOn),
            cell(t.plans[u.reason] ?? u.reason),
          ]);
          const assignments = plan.assignments.map((a) => [
            link(`/app/instruments/${encodeURIComponent(a.equipmentId)}`, a.equipmentId),
            cell(a.category),
            cell(a.labId),
            cell(a.month),
            cell(a.dueOn),
            cell(a.late ? '✓' : '—'),
          ]);
          const section = (title: string, tableId: string, headers: string[], rows: string[][]) =>
            `<h2>${esc(title)} (${rows.length})</h2>${rows.length ? table(tableId, headers, rows) : `<p>${esc(t.none)}</p>`}`;
          return `<section id="plan" data-due="${plan.summary.due}" data-late="${plan.summary.late}" data-unplaced="${plan.summary.unplaced}"><p id="plan-summary">${esc(`${plan.from} · ${plan.months} · `)}${esc(t.planSummary(plan.summary))}</p></section>
${section(t.overflowTitle, 'overflow', [t.col.month, t.col.category, t.col.count, t.col.unplaced], overflow)}
${section(t.loadTitle, 'load', [t.col.labId, t.col.month, t.col.category, t.col.assigned, t.col.capacity], load)}
${section(t.unplacedTitle, 'unplaced', [t.col.id, t.col.category, t.col.dueOn, t.col.reason], unplaced)}
${section(t.assignmentsTitle, 'assignments', [t.col.id, t.col.category, t.col.labId, t.col.month, t.col.dueOn, t.col.late], assignments)}
<h2>${esc(t.methodTitle)}</h2><ol>${plan.method.map((m) => `<li>${esc(m)}</li>`).join('')}</ol><p>${link('/app/plans', t.plansTitle)}</p>`;
        },
      );
    });

    // ---- a lot of meters in service: its facts, plans and decisions, OC curves, history (issue #22) ----

    app.get<{ Params: { id: string }; Querystring: { at?: string; lang?: string } }>('/app/lots/:id', { schema: { hide: true } }, async (req, reply) => {
      const lot = await readableLot(app, lots, req.caller, req.params.id);
      const at = req.query.at ? parseDate(req.query.at, '?at') : today();
      const [{ status, plans }, history] = await Promise.all([lots.lotAt(lot.id, at), lots.history(lot.id, at)]);
      const lotPath = `/app/lots/${encodeURIComponent(lot.id)}`;
      return page(
        req,
        reply,
        (t) => t.lot.title(lot.id),
        '',
        (lang, t) => {
          const L = t.lot;
          const facts: Array<[string, string]> = [
            [L.owner, cell(lot.ownerId)],
            [L.category, cell(lot.category)],
            [L.model, cell(lot.model)],
            [L.patternApprovalNo, cell(lot.patternApprovalNo)],
            [L.manufacturer, cell(lot.manufacturer)],
            [L.batch, cell(lot.batch)],
            [L.installed, cell(`${lot.installedFrom} – ${lot.installedTo}`)],
            [L.region, cell(lot.region)],
            [L.size, cell(lot.size)],
            [L.registeredOn, cell(lot.registeredOn)],
            [L.lifeEndsOn, cell(history.lifeEndsOn)],
          ];
          const state =
            status === null
              ? `<p id="lot-state" data-state="">${esc(t.none)}</p>`
              : `<p id="lot-state" data-state="${esc(status.state)}"><strong>${esc(L.stateAt(at))}: ${esc(LOT_STATE_NAMES[status.state][lang])}</strong> — ${esc(status.reason)}</p>`;
          const planRows = plans.map((p) => {
            const r = p.result;
            const st = r?.statistics;
            return [
              cell(p.id),
              cell(p.plannedOn),
              cell(L.methods[p.method] ?? p.method),
              cell(p.codeLetter),
              cell(p.sampleSize),
              cell(p.method === 'variables' ? null : `${p.acceptance} / ${p.rejection}`),
              cell(p.acceptabilityConstant),
              cell(p.mpe),
              cell(p.aql),
              cell(p.severity),
              cell(r?.recordedOn),
              cell(r?.nonconforming),
              cell(r ? (L.decisions[r.decision] ?? r.decision) : null),
              cell(
                st
                  ? [st.mean, st.standardDeviation, st.qUpper ?? '—', st.qLower ?? '—']
                      .map((x) => (x === '—' ? x : new Decimal(x).toDecimalPlaces(4).toString()))
                      .join(' / ')
                  : null,
              ),
              cell(r?.rule),
            ];
          });
          const ocs = plans
            .map(
              (p) =>
                `<figure><img id="oc-${esc(p.id)}" src="${esc(`${lotPath}/plans/${encodeURIComponent(p.id)}/oc.svg`)}" alt="${esc(L.ocOf(p.id))}"><figcaption>${esc(L.ocOf(p.id))}</figcaption></figure>`,
            )
            .join('');
          const events = history.events.map((e) => [
            cell(e.on),
            cell(LOT_EVENT_NAMES[e.kind][lang]),
            cell(e.planId),
            cell(LOT_STATE_NAMES[e.status.state][lang]),
            cell(e.status.reason),
          ]);
          const csv = `${lotPath}/history.csv?${new URLSearchParams({ lang, at }).toString()}`;
          return `<section id="lot" data-id="${esc(lot.id)}"><h2>${esc(L.facts)}</h2>${state}
<table id="lot-facts"><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table></section>
<h2>${esc(L.plans)}</h2>${
            planRows.length
              ? table(
                  'lot-plans',
                  [
                    L.plan,
                    L.plannedOn,
                    L.method,
                    L.codeLetter,
                    L.n,
                    L.acRe,
                    L.k,
                    L.mpe,
                    L.aql,
                    L.severity,
                    L.recordedOn,
                    L.d,
                    L.decision,
                    L.statistics,
                    L.rule,
                  ],
                  planRows,
                  plans.map((p) => `data-id="${esc(p.id)}" data-method="${esc(p.method)}" data-decision="${esc(p.result?.decision ?? '')}"`),
                )
              : `<p>${esc(L.noPlans)}</p>`
          }
${plans.length ? `<h2>${esc(L.oc)}</h2><div class="chain">${ocs}</div>` : ''}
<h2>${esc(L.history)}</h2>${table('lot-history', [t.col.date, t.col.event, L.plan, L.state, t.col.detail], events)}
<p><a id="history-csv" href="${esc(csv)}">${esc(L.csv)}</a></p>`;
        },
      );
    });

    app.get<{ Params: { id: string; planId: string }; Querystring: { lq?: string } }>(
      '/app/lots/:id/plans/:planId/oc.svg',
      { schema: { hide: true } },
      async (req, reply) => {
        const lot = await readableLot(app, lots, req.caller, req.params.id);
        const plan = await lots.getPlan(lot.id, req.params.planId);
        const lq = req.query.lq ? parseDecimal(req.query.lq, '?lq') : null;
        if (lq !== null && (lq.lessThanOrEqualTo(0) || lq.greaterThan(1)))
          fail('INVALID_FIELD', '?lq', 'the limiting quality is a fraction nonconforming in (0, 1], e.g. 0.05 for 5 %');
        const svg = renderOcSvg(planOcChart(lot.id, plan, lq, defaultPMax(plan.aql, lq)));
        return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-store').send(svg);
      },
    );

    app.get<{ Params: { id: string }; Querystring: { at?: string; lang?: string } }>(
      '/app/lots/:id/history.csv',
      { schema: { hide: true } },
      async (req, reply) => {
        const lot = await readableLot(app, lots, req.caller, req.params.id);
        const history = await lots.history(lot.id, req.query.at ? parseDate(req.query.at, '?at') : today());
        return reply
          .type('text/csv; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="lot-${lot.id}-history.csv"`)
          .send(lotHistoryCsv(history, { lang: pageLang(req), bom: true }));
      },
    );

    // ---- owner: its energy-metering inventory ----

    app.get<{ Querystring: { org?: string; lang?: string } }>('/app/energy', { schema: { hide: true } }, async (req, reply) => {
      const c = req.caller as KeyCaller;
      const orgId = c.role === 'owner' ? c.organisationId! : req.query.org || c.organisationId || '';
      // as GET /v1/organisations/{id}/energy-inventory: read-scoped, the latest version
      await app.visibility.organisationData(req.caller, orgId, '?org');
      let inventory: Awaited<ReturnType<typeof energy.latestInventory>> | null = null;
      try {
        inventory = await energy.latestInventory(orgId);
      } catch (e) {
        if (!(e instanceof MetrologyError && e.code === 'NOT_FOUND')) throw e;
      }
      // the meters' statuses together, and the organisation's past audits (each opens as GET /v1/energy-audits/{id}/report.html)
      const statuses = await verification.statusMany(
        [...new Set((inventory?.inventory.points ?? []).flatMap((p) => (p.equipmentId ? [p.equipmentId] : [])))],
        today(),
      );
      const meters = new Map([...statuses].map(([id, v]) => [id, labelOf(v)]));
      const audits = orgId === '' ? [] : await energy.listAudits(orgId);
      return page(
        req,
        reply,
        (t) => t.energyTitle,
        'energy',
        (lang, t) => {
          const pick =
            c.role === 'owner'
              ? ''
              : `<form class="inline" method="get" action="/app/energy">${field('org', t.organisation, input('org', orgId, 'required maxlength="64"'))}<button type="submit">${esc(t.show)}</button></form>`;
          const past = `<h2>${esc(t.pastAudits)}</h2>${auditTable(t, audits)}`;
          if (!inventory) return `${pick}<p id="no-inventory">${esc(t.none)}</p>${past}`;
          const rows = inventory.inventory.points.map((p) => {
            const m = p.equipmentId ? meters.get(p.equipmentId) : undefined;
            return [
              cell(p.id),
              cell(t.levels[p.level] ?? p.level),
              cell(p.energyType),
              cell(p.name),
              cell(p.consumption ? `${p.consumption.value.toString()} ${p.consumption.unit}` : null),
              p.equipmentId ? link(`/app/instruments/${encodeURIComponent(p.equipmentId)}`, p.equipmentId) : '—',
              m ? statusBadge(lang, m.state, m.usable) : '—',
            ];
          });
          return `${pick}<p>${esc(t.energyIntro(inventory.version))}</p>${table('inventory', [t.col.point, t.col.level, t.col.energyType, t.col.name, t.col.consumption, t.col.meter, t.col.status], rows)}${past}`;
        },
      );
    });

    // ---- auditor: energy audits ----

    async function auditOrganisations(caller: Caller) {
      const all = (await registry.listOrganisations({}, { limit: 1000, after: null })).items.filter(
        (o) => o.kind === 'enterprise' || o.kind === 'energy_using_unit',
      );
      const visible = [];
      for (const o of all) {
        try {
          await app.visibility.organisationData(caller, o.id);
          visible.push(o);
        } catch (e) {
          if (!(e instanceof MetrologyError)) throw e;
        }
      }
      return visible;
    }

    function auditForm(
      t: (typeof TEXT)[Lang],
      v: Viewer,
      orgs: ReadonlyArray<{ id: string; name: string }>,
      values: Form,
      errors: Record<string, string>,
    ): string {
      return `<p>${esc(t.auditIntro)}</p><form class="panel" method="post" action="/app/audits" id="audit-form">${csrfInput(v.csrfToken)}
${field('organisationId', t.organisation, select('organisationId', values.organisationId ?? '', Object.fromEntries(orgs.map((o) => [o.id, `${o.name} (${o.id})`]))), errors.organisationId)}
${field('at', t.at, input('at', values.at ?? today(), 'type="date" required'), errors.at)}
<div class="actions"><button type="submit" id="run-audit">${esc(t.runAudit)}</button></div></form>`;
    }

    app.get('/app/audits', { schema: { hide: true } }, async (req, reply) => {
      const orgs = await auditOrganisations(req.caller);
      // the past audits of the organisations this key may read, latest first
      const audits = (await Promise.all(orgs.map((o) => energy.listAudits(o.id))))
        .flat()
        .sort((a, b) => (a.stored.at === b.stored.at ? b.stored.createdAt.localeCompare(a.stored.createdAt) : a.stored.at < b.stored.at ? 1 : -1));
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      return page(
        req,
        reply,
        (t) => t.auditsTitle,
        'audits',
        (_lang, t, v) => `${auditForm(t, v, orgs, {}, {})}<h2>${esc(t.pastAudits)}</h2>${auditTable(t, audits, names)}`,
      );
    });

    app.post('/app/audits', { schema: { hide: true } }, async (req, reply) => {
      const form = (isFormObject(req.body) ? req.body : {}) as Form;
      const values = { organisationId: String(form.organisationId ?? ''), at: String(form.at ?? '') };
      try {
        await app.visibility.organisationData(req.caller, values.organisationId, '/organisationId');
        const { audit } = await energy.audit(readAuditRequest(values, energy.newId));
        return reply
          .status(303)
          .header('location', `/app/audits/${encodeURIComponent(audit.id)}`)
          .send();
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        const orgs = await auditOrganisations(req.caller);
        const at = fieldOfPointer(e.path) ?? 'organisationId';
        return page(
          req,
          reply,
          (t) => t.auditsTitle,
          'audits',
          (_lang, t, v) => auditForm(t, v, orgs, values, { [at]: `${e.code}: ${e.message}` }),
          refusedAgain(req, e.code),
        );
      }
    });

    app.get<{ Params: { id: string } }>('/app/audits/:id', { schema: { hide: true } }, async (req, reply) => {
      await app.visibility.audit(req.caller, req.params.id);
      const { audit } = await energy.getAudit(req.params.id);
      const org = await registry.getOrganisation(audit.organisationId);
      const t = TEXT[pageLang(req)];
      // the report as GET /v1/energy-audits/{id}/report.html gives it, with a way back
      // back to where the role reads its audits: an auditor's audits page, an owner's energy page
      const back =
        (req.caller as KeyCaller).role === 'auditor' || (req.caller as KeyCaller).role === 'admin'
          ? ['/app/audits', t.auditsTitle]
          : ['/app/energy', t.energyTitle];
      const html = renderAuditHtml(audit, org.name).replace('<body>', `<body>\n<p class="noprint"><a id="back" href="${back[0]}">← ${esc(back[1]!)}</a></p>`);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    });
  };
}

/** Stored energy audits as a table, each opening its report. */
function auditTable(
  t: (typeof TEXT)[Lang],
  audits: ReadonlyArray<{
    id: string;
    inventoryVersion: number;
    audit: { verdict: string; findings: readonly unknown[] };
    stored: { organisationId: string; at: string };
  }>,
  names?: ReadonlyMap<string, string>,
): string {
  if (audits.length === 0) return `<p id="no-audits">${esc(t.none)}</p>`;
  const rows = audits.map((a) => [
    link(`/app/audits/${encodeURIComponent(a.id)}`, a.id),
    ...(names ? [cell(names.get(a.stored.organisationId) ?? a.stored.organisationId)] : []),
    cell(a.stored.at),
    cell(a.inventoryVersion),
    `<span class="badge ${a.audit.verdict === 'compliant' ? 'in_force' : 'prohibited'}">${esc(t.verdicts[a.audit.verdict] ?? a.audit.verdict)}</span>`,
    cell(a.audit.findings.length),
  ]);
  return table(
    'audits',
    [t.col.audit, ...(names ? [t.col.owner] : []), t.at, 'v.', t.col.verdict, t.col.auditFindings],
    rows,
    audits.map((a) => `data-id="${esc(a.id)}" data-verdict="${esc(a.audit.verdict)}"`),
  );
}

/** An impact list (GET /v1/equipment/{id}/dependents) as a table, mandatory instruments first as the use case orders them. */
function impactTable(t: (typeof TEXT)[Lang], impact: readonly Dependent[]): string {
  const rows = impact.map((d) => [
    link(`/app/instruments/${encodeURIComponent(d.equipment.id)}`, d.equipment.id),
    cell(d.equipment.name),
    cell(d.owner?.name ?? d.equipment.ownerId),
    cell(d.mandatory ? '✓' : '—'),
    cell(d.record.certificateNo),
    cell(d.record.performedOn),
  ]);
  return rows.length
    ? table(
        'impact',
        [t.col.id, t.col.name, t.col.owner, t.col.mandatory, t.col.certificate, t.col.verifiedOn],
        rows,
        impact.map((d) => `data-id="${esc(d.equipment.id)}"`),
      )
    : `<p id="no-impact">${esc(t.none)}</p>`;
}

/** The JSON a POST /v1/calibrations would carry for the form: what is empty is left out, decimals stay strings. */
function recordBody(v: Form, caller: KeyCaller) {
  const opt = (k: string) => (v[k] ? { [k]: v[k] } : {});
  const refs = (v.referenceIds ?? '')
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const point = v.nominal || v.asFound || v.unit ? { points: [{ nominal: v.nominal ?? '', asFound: v.asFound ?? '', unit: v.unit ?? '' }] } : {};
  const kind = v.kind || 'verification';
  // a calibration states no conformity and no verification type (the record's rules refuse them): the form's fields for them are a verification's
  const verification = kind === 'verification';
  return {
    kind,
    subjectId: v.subjectId ?? '',
    labId: caller.role === 'admin' ? (v.labId ?? '') : (caller.organisationId ?? ''),
    certificateNo: v.certificateNo ?? '',
    performedOn: v.performedOn ?? '',
    ...(verification ? { conformity: v.conformity || 'pass' } : {}),
    referenceIds: refs,
    ...opt('validUntil'),
    ...(verification ? opt('verificationType') : {}),
    ...opt('procedure'),
    ...opt('verifier'),
    ...opt('checker'),
    ...opt('approver'),
    ...point,
  };
}

/** The form field an API problem's pointer names: /referenceIds/0 → referenceIds, /points/0/nominal → nominal. */
export function fieldOfPointer(pointer: string): string | null {
  const parts = pointer.split('/').filter((p) => p !== '');
  if (parts.length === 0) return null;
  if (parts[0] === 'points') return parts[2] ?? 'nominal';
  return parts[0]!;
}

/** Adds a Set-Cookie to those the reply already sets. */
function appendCookie(reply: FastifyReply, value: string): string[] {
  const prior = reply.getHeader('set-cookie');
  return [...(prior === undefined ? [] : Array.isArray(prior) ? prior.map(String) : [String(prior)]), value];
}
