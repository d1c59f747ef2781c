/** The audit as a printed page: verdict in both languages, the rates table and its chart, findings with their rules, every text escaped. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { WireAudit } from '../../src/codecs/energy.ts';
import { renderAuditHtml } from '../../src/codecs/energy-report-html.ts';

const audit = (over: Partial<WireAudit> = {}): WireAudit =>
  ({
    id: 'audit-1',
    organisationId: 'org-1',
    at: '2026-11-25',
    rulesVersion: 'GB 17167-2006',
    inventoryVersion: 2,
    verdict: 'non_compliant',
    rates: [
      { level: 'organisation', energyType: 'electricity', required: 1, installed: 1, rate: '100', requiredRate: '100', meets: true, rule: 'r' },
      { level: 'equipment', energyType: 'electricity', required: 3, installed: 2, rate: '66.6667', requiredRate: '95', meets: false, rule: 'r' },
      { level: 'sub_unit', energyType: 'coal', required: 0, installed: 0, rate: null, requiredRate: null, meets: null, rule: 'r' },
    ],
    points: [
      { pointId: 'kiln', required: true, reason: '150 kW ≥ 100 kW' },
      { pointId: 'lamp', required: false, reason: '<1 kW>' },
    ],
    findings: [
      {
        code: 'RATE_BELOW_REQUIRED',
        severity: 'nonconformity',
        level: 'equipment',
        energyType: 'electricity',
        pointId: 'kiln',
        equipmentId: null,
        rule: 'GB 17167-2006 equipping-rate table',
        message: 'kiln <unmetered> & more',
      },
      { code: 'NO_METER', severity: 'observation', level: 'organisation', energyType: 'water', pointId: null, equipmentId: 'm-1', rule: 'r', message: 'o' },
    ],
    ...over,
  }) as WireAudit;

const it = suite('energy audit page');

it('the heading, the facts of the audit and the verdict with its counts', () => {
  const html = renderAuditHtml(audit(), 'Steel <Works> & Co');
  assert.match(html, '<title>Energy-metering audit audit-1 — Steel &lt;Works&gt; &amp; Co</title>');
  assert.match(html, '<h1>Energy-metering audit (能源计量审查) — Steel &lt;Works&gt; &amp; Co</h1>');
  assert.match(html, 'Audit <code>audit-1</code> of organisation <code>org-1</code> at 2026-11-25, against GB 17167-2006, inventory version 2.');
  assert.match(html, '<span class="verdict not-compliant">Not compliant · 不符合要求</span> 1 nonconformity, 1 observation(s).');
  assert.not.match(html, '<Works>');
  assert.not.match(html, '<script');
  const ok = renderAuditHtml(audit({ verdict: 'compliant', findings: [] }), 'x');
  assert.match(ok, '<span class="verdict compliant">Compliant · 符合要求</span> 0 nonconformities, 0 observation(s).');
  assert.match(ok, '<p>No findings.</p>');
});

it('the rates table: level words, rate to one place, unmet in bold, nothing required as dashes', () => {
  const html = renderAuditHtml(audit(), 'x');
  assert.match(
    html,
    '<tr><td>Level 3 — major equipment (主要用能设备)</td><td>electricity</td><td class="n">3</td><td class="n">2</td><td class="n">66.7 %</td><td class="n">95 %</td><td><b class="bad">no</b></td></tr>',
  );
  assert.match(html, '<td class="n">100.0 %</td><td class="n">100 %</td><td>yes</td></tr>');
  assert.match(
    html,
    '<tr><td>Level 2 — major secondary units (主要次级用能单位)</td><td>coal</td><td class="n">0</td><td class="n">0</td><td class="n">–</td><td class="n">–</td><td>–</td></tr>',
  );
});

it('the chart: one bar per level with required points, red when unmet, the required mark', () => {
  const html = renderAuditHtml(audit(), 'x');
  // pixel widths are display arithmetic (400 px for 100 %): compared to a tenth of a pixel
  const bars = [...html.matchAll(/<rect x="250" y="(\d+)" width="([\d.]+)" height="18" fill="(#[0-9a-f]+)"><title>([^<]*)</g)].map((m) => [
    Number(m[2]).toFixed(1),
    m[3],
    m[4],
  ]);
  assert.equal(bars, [
    ['400.0', '#2e7d32', '100 % of 1 required points'],
    ['266.7', '#c62828', '66.6667 % of 3 required points'],
  ]);
  assert.match(html, '<line x1="630" y1="35" x2="630" y2="59" stroke="#000" stroke-width="2"><title>required 95 %</title></line>');
  assert.not.match(html, 'sub_unit · coal');
  // a rate above 100 % (more meters than required points) is drawn full, not past the scale
  const over = renderAuditHtml(audit({ rates: [{ ...audit().rates[0]!, rate: '150' }] }), 'x');
  assert.match(over, '<rect x="250" y="10" width="400" height="18" fill="#2e7d32">');
});

it('findings and points: each with its rule, point and meter, escaped', () => {
  const html = renderAuditHtml(audit(), 'x');
  assert.match(
    html,
    '<tr class="nonconformity"><td>nonconformity</td><td><code>RATE_BELOW_REQUIRED</code></td><td>equipment · electricity</td><td>kiln</td><td>–</td><td>kiln &lt;unmetered&gt; &amp; more</td><td class="rule">GB 17167-2006 equipping-rate table</td></tr>',
  );
  assert.match(html, '<tr class="observation"><td>observation</td><td><code>NO_METER</code></td><td>organisation · water</td><td>–</td><td>m-1</td>');
  assert.match(html, '<tr><td>kiln</td><td>required</td><td>150 kW ≥ 100 kW</td></tr>');
  assert.match(html, '<tr><td>lamp</td><td>not required</td><td>&lt;1 kW&gt;</td></tr>');
  assert.match(html, 'GET /v1/energy-audits/audit-1');
});

it.run();
