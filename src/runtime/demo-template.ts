/**
 * The demo data, prepared at build time. The build (scripts/build.mjs) loads
 * fixtures/demo/registry.json into a copy of the empty database template the
 * same way the server does on first start (loadRegistryData, every rule and
 * ledger entry), and keeps that data directory as dist/pglite-demo. A first
 * `metrotrace serve` on a new embedded data directory starts from a copy of
 * it instead of loading the demo item by item (≈850 statements, 10 s here),
 * and then issues its own demo API keys (never part of the template).
 *
 * The template is used only when it was made from exactly the files in place
 * now (sources, migrations, demo and reference data, lockfile): the
 * fingerprint below, recorded beside it. Otherwise the server loads the demo
 * as before.
 *
 * @impure reads files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);

/** The demo's prepared data directory, and its record (`DEMO_TEMPLATE + '.json'`). */
export const DEMO_TEMPLATE = fileURLToPath(new URL('dist/pglite-demo', ROOT));

/** What the demo data of the template amounts to (the server reports it as it would after a load). */
export type DemoSummary = Readonly<Record<string, number>>;

interface Made {
  readonly fingerprint: string;
  readonly summary: DemoSummary;
}

/** What the demo's database depends on, relative to the project root. */
const INPUTS = ['src/', 'fixtures/demo/', 'fixtures/reference/', 'calibration-chains/', 'package-lock.json'];

function filesUnder(url: URL): URL[] {
  if (!url.pathname.endsWith('/')) return [url];
  return readdirSync(url, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => filesUnder(new URL(e.name + (e.isDirectory() ? '/' : ''), url)));
}

/** SHA-256 over the path and content of every input file. */
export function demoFingerprint(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of filesUnder(new URL(input, ROOT))) {
      hash.update(file.pathname.slice(ROOT.pathname.length)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** The prepared demo, when there is one made from the files in place now. */
export function readyDemoTemplate(): { dir: string; summary: DemoSummary } | undefined {
  let made: Made;
  try {
    made = JSON.parse(readFileSync(`${DEMO_TEMPLATE}.json`, 'utf8')) as Made;
  } catch {
    return undefined;
  }
  return made.fingerprint === demoFingerprint() ? { dir: DEMO_TEMPLATE, summary: made.summary } : undefined;
}

/**
 * A new embedded database started from the prepared demo, for the server's
 * first start and `metrotrace seed` alike: `template` is what openDb calls
 * when it makes a new data directory (it looks for a current prepared demo
 * only then), and `prepared` says, given where the database started from,
 * whether it is that demo (its summary: nothing left to load) or not.
 */
export function demoStart(): {
  readonly template: () => string | undefined;
  readonly prepared: (startedFrom: string | undefined) => DemoSummary | undefined;
} {
  let demo: ReturnType<typeof readyDemoTemplate>;
  return {
    template: () => (demo = readyDemoTemplate())?.dir,
    prepared: (startedFrom) => (demo !== undefined && startedFrom === demo.dir ? demo.summary : undefined),
  };
}

/** The record written beside a freshly made template. */
export function demoTemplateRecord(summary: DemoSummary): string {
  return `${JSON.stringify({ fingerprint: demoFingerprint(), summary } satisfies Made)}\n`;
}
