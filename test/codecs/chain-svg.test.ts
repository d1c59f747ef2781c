/** The traceability chain as SVG: one box per link (a shared one once), the root at the top, broken links red with their codes, text escaped. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderChainSvg } from '../../src/codecs/chain-svg.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { CalibrationRecord, Equipment } from '../../src/core/registry/types.ts';
import type { ChainLink, TraceResult } from '../../src/core/traceability/chain.ts';
import { chainLink } from '../helpers/chains.ts';

const at = '2026-06-01' as CalendarDate;
const link = (equipmentId: string, over: Partial<ChainLink> = {}): ChainLink =>
  chainLink({ equipment: { level: 'working_standard' } as Equipment, equipmentId, at, ...over });
const record = (certificateNo: string, performedOn: string, validUntil: string | null) => ({ certificateNo, performedOn, validUntil }) as CalibrationRecord;
const trace = (chain: ChainLink, findings: TraceResult['findings'] = []): TraceResult => ({
  equipmentId: chain.equipmentId,
  at,
  traceable: findings.length === 0,
  findings,
  notes: [],
  chain,
});

const boxes = (svg: string) => [...svg.matchAll(/<g class="link( broken)?" data-equipment="([^"]*)">/g)].map((m) => [m[2], m[1] === ' broken']);
const yOf = (svg: string, id: string) => Number(new RegExp(`data-equipment="${id}">\\n<rect x="[^"]+" y="([^"]+)"`).exec(svg)![1]);

const it = suite('chain SVG');

it('a traceable chain: green heading, one box per link, the national standard above the instrument', () => {
  const national = link('national', { equipment: { level: 'national_primary_standard' } as Equipment, realisation: 'Kibble balance' });
  const working = link('working', { record: record('C-w', '2026-01-10', '2027-01-09'), references: [national] });
  const scale = link('scale', { equipment: { level: 'working_instrument' } as Equipment, record: record('C-s', '2026-03-01', null), references: [working] });
  const svg = renderChainSvg(trace(scale));
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.endsWith('</svg>\n'));
  assert.match(svg, '<title>Traceability of scale at 2026-06-01</title>');
  assert.match(svg, 'fill="#1b5e20">scale at 2026-06-01: traceable</text>');
  assert.equal(boxes(svg), [
    ['scale', false],
    ['working', false],
    ['national', false],
  ]);
  assert.ok(yOf(svg, 'national') < yOf(svg, 'working') && yOf(svg, 'working') < yOf(svg, 'scale'));
  assert.match(svg, '>national primary standard</text>');
  assert.match(svg, '>SI: Kibble balance</text>');
  assert.match(svg, '>C-s · 2026-03-01 → —</text>');
  assert.match(svg, '>C-w · 2026-01-10 → 2027-01-09</text>');
  assert.is((svg.match(/<line /g) ?? []).length, 2);
  assert.not.match(svg, '#c62828');
});

it('a standard two links share is drawn once; height grows with depth', () => {
  const shared = link('shared');
  const a = link('a', { references: [shared] });
  const b = link('b', { references: [shared] });
  const svg = renderChainSvg(trace(link('top', { references: [a, b] })));
  assert.equal(
    boxes(svg).map(([id]) => id),
    ['top', 'a', 'b', 'shared'],
  );
  assert.is((svg.match(/<line /g) ?? []).length, 4);
  assert.match(svg, 'height="450"');
  assert.match(renderChainSvg(trace(link('alone'))), 'height="210"');
});

it('a link sits at its shortest depth from the root (breadth first)', () => {
  const shared = link('shared');
  const svg = renderChainSvg(trace(link('top', { references: [link('a', { references: [shared] }), shared] })));
  assert.is(yOf(svg, 'shared'), yOf(svg, 'a'));
  assert.match(svg, 'height="330"');
});

it('a broken chain: red heading with the count, the broken link red with its codes, its lines thick red', () => {
  const f = { code: 'CERTIFICATE_EXPIRED', equipmentId: 'working', message: 'm' } as unknown as TraceResult['findings'][number];
  const working = link('working', { findings: [f, { ...f, code: 'RECORD_FAILED' } as typeof f] });
  const svg = renderChainSvg(trace(link('scale', { references: [working] }), [f, f]));
  assert.match(svg, 'fill="#b71c1c">scale at 2026-06-01: broken (2 findings)</text>');
  assert.equal(boxes(svg), [
    ['scale', false],
    ['working', true],
  ]);
  assert.match(svg, '>CERTIFICATE_EXPIRED</text>');
  assert.match(svg, '>RECORD_FAILED</text>');
  assert.match(svg, 'stroke="#c62828" stroke-width="2.5"/>');
  assert.match(renderChainSvg(trace(link('x', { findings: [f] }), [f])), 'broken (1 finding)</text>');
});

it('no record, unknown equipment, text escaped and clipped', () => {
  const svg = renderChainSvg(trace(link('<b>&"x"', { equipment: null })));
  assert.match(svg, 'data-equipment="&lt;b&gt;&amp;&quot;x&quot;"');
  assert.not.match(svg, '<b>');
  assert.match(svg, '>unknown</text>');
  assert.match(svg, '>no record</text>');
  const long = renderChainSvg(trace(link('x', { record: record('CERT-'.repeat(10), '2026-01-01', null) })));
  assert.match(long, '>CERT-CERT-CERT-CERT-CERT-CERT-CE…</text>');
});

it.run();
