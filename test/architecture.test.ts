/**
 * The dependency rule, enforced: the domain core does no I/O, reads no clock and
 * no randomness, and imports nothing but decimal.js, mathjs and itself (and, in
 * Monte Carlo alone, where floats are right, simple-statistics). Arrows
 * point inward: nothing in core, codecs or app imports persistence or transports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(source: string): string[] {
  const found: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (let m = re.exec(source); m; m = re.exec(source)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
}

const CORE_PACKAGES = new Set(['decimal.js', 'mathjs']);
/** The one core module where floats (and Math) are right: Monte Carlo sampling. */
const FLOAT_MODULES = /src\/core\/uncertainty\/monte-carlo\//;
/** Float numerics (pure, no I/O), allowed only where floats are: Monte Carlo. */
const FLOAT_PACKAGES = new Set(['simple-statistics']);

test('core imports only decimal.js, mathjs and other core modules (Monte Carlo also simple-statistics)', () => {
  const bad: string[] = [];
  for (const file of files('src/core')) {
    for (const spec of imports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = join(file, '..', spec);
        if (!target.startsWith('src/core')) bad.push(`${file} → ${spec}`);
      } else if (!CORE_PACKAGES.has(spec) && !(FLOAT_PACKAGES.has(spec) && FLOAT_MODULES.test(file))) {
        bad.push(`${file} → ${spec}`);
      }
    }
  }
  assert.equal(bad, [], `core must stay pure:\n${bad.join('\n')}`);
});

test('core reads no clock, no randomness, no environment and parses no floats', () => {
  const banned: Array<[RegExp, string]> = [
    [/\bDate\.now\s*\(/, 'Date.now()'],
    [/\bnew Date\s*\(/, 'new Date()'],
    [/\bMath\.random\s*\(/, 'Math.random()'],
    [/\bparseFloat\s*\(/, 'parseFloat()'],
    [/\bprocess\./, 'process.*'],
    [/\brequire\s*\(/, 'require()'],
    [/\bperformance\.now\s*\(/, 'performance.now()'],
  ];
  const bad: string[] = [];
  for (const file of files('src/core')) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const [re, what] of banned) if (re.test(text)) bad.push(`${file}: ${what}`);
    if (!FLOAT_MODULES.test(file) && /\bFloat64Array\b/.test(text)) bad.push(`${file}: Float64Array outside Monte Carlo`);
  }
  assert.equal(bad, [], bad.join('\n'));
});

test('inner layers never import outer ones', () => {
  // main/ is the composition root (configuration, version, the wiring of stores and services):
  // the entry points (cli, bin) use it, and nothing it wires may reach back into it. The
  // transport knows the services, never the stores behind them, and the CLI never the HTTP server.
  const forbidden: Record<string, string[]> = {
    core: ['codecs', 'app', 'persistence', 'runtime', 'http', 'cli', 'main'],
    codecs: ['app', 'persistence', 'runtime', 'http', 'cli', 'main'],
    app: ['persistence', 'runtime', 'http', 'cli', 'main'],
    persistence: ['runtime', 'http', 'cli', 'main'],
    runtime: ['persistence', 'http', 'cli', 'main'],
    http: ['persistence', 'cli', 'main'],
    cli: ['http'],
  };
  const bad: string[] = [];
  for (const [layer, outer] of Object.entries(forbidden)) {
    for (const file of files(join('src', layer))) {
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative('src', join(file, '..', spec)).split('/')[0]!;
        if (outer.includes(target)) bad.push(`${file} → ${spec}`);
      }
    }
  }
  assert.equal(bad, [], bad.join('\n'));
});

test('no command module imports the dispatcher that imports it (cli/main.ts ↔ command)', () => {
  const bad = files('src/cli')
    .filter((f) => !f.endsWith('main.ts'))
    .filter((f) => imports(readFileSync(f, 'utf8')).some((spec) => spec === './main.ts'));
  assert.equal(bad, [], `a command takes its types from cli/command.ts, not from cli/main.ts:\n${bad.join('\n')}`);
});

test('the checker itself catches a forbidden import', () => {
  assert.equal(imports("import { readFileSync } from 'node:fs';\nimport x from './y.ts';"), ['node:fs', './y.ts']);
  assert.equal(imports("const m = await import('postgres');"), ['postgres']);
});

/**
 * Tests mirror src/ where a test is one module's: test/<path>.test.ts tests
 * src/<path>.ts. In these directories every test file is such a unit test,
 * unless it is listed in CROSS_MODULE_SUITES. (test/http, test/cli and
 * test/browser hold feature suites through a transport; test/README.md says
 * what every directory holds.)
 */
const MIRRORED_DIRECTORIES = ['core', 'codecs', 'persistence', 'runtime', 'app', 'main'];

/** The suites in those directories that test several modules together, or the database itself, and why. */
const CROSS_MODULE_SUITES: Record<string, string> = {
  'test/codecs/contracts/resources.test.ts':
    "the contracts of events, findings, policies, capacities, plans and DCC requests read through each codec: the transport's code and pointer at every edge",
  'test/codecs/dcc-schema.test.ts': "codecs/dcc.ts's DCCs of the demo registry (app, a database) validated by xmllint against the PTB schema",
  'test/persistence/current-records.test.ts': 'the current_records view (migration 0043), read through the services, and the upgrade to it',
  'test/persistence/db-lock.test.ts': "persistence/db.ts's lock on an embedded data directory, held against a second process",
  'test/persistence/identifier-key.test.ts': "the database's metrotrace_identifier_key (migrations 0020, 0022) against core/registry/identifier.ts",
  'test/persistence/import-lines.test.ts': "persistence/export.ts's bounded line reader alone, apart from export.test.ts's database round trips",
  'test/persistence/ledger-two-processes.test.ts': 'two processes appending to one PostgreSQL ledger: services, ledger store and SQL together',
  'test/persistence/ledger-upgrade.test.ts': 'ledgers built at old migrations and upgraded: migrations, ledger store and app/ledger.ts',
  'test/persistence/ledger.test.ts': 'the evidence ledger end to end: services write, ledger store and core/ledger verify, SQL edits are found',
  'test/persistence/lookup-plans.test.ts': 'the query plans of the lookups the services run, over a registry inflated to thousands of instruments',
  'test/persistence/migrate-once.test.ts': 'persistence/db.ts with the committed migrations: the migrator runs only when one is missing',
  'test/persistence/record-document-fields.test.ts': "the document fields (migration 0026) through services, the database's own checks and the ledger",
  'test/persistence/postgres-closed-socket.test.ts':
    "the build's guard of the installed postgres.js (scripts/patch-postgres.mjs), proved on a terminated backend",
  'test/persistence/records-partitions.test.ts': 'the partitioned records table (migration 0041): its triggers, the partition keeper, racing writers',
  'test/persistence/records-upgrade.test.ts': 'a database with records upgraded to the partitioned table (migration 0041), its ledger still verifying',
  'test/persistence/sql-functions.test.ts': "the database's functions against src/persistence/sql/ and the core's ledger kinds",
  'test/persistence/template.test.ts': "persistence/db.ts with the build's prepared database (dist/): a new data directory starts as its copy",
};

/** The module a test file is named after: test/core/x/y.test.ts → src/core/x/y.ts. */
function mirroredModule(testFile: string): string {
  return `src/${testFile.replace(/^test\//, '').replace(/\.test\.ts$/, '.ts')}`;
}

/** The test files that are named after no module and not listed as cross-module suites. */
function strayTests(testFiles: readonly string[], exists: (path: string) => boolean): string[] {
  return testFiles.filter((t) => t.endsWith('.test.ts') && !exists(mirroredModule(t)) && !(t in CROSS_MODULE_SUITES));
}

const exists = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

test('the unit tests mirror src/: each is named after its module, or listed with its reason as a cross-module suite', () => {
  const tests = MIRRORED_DIRECTORIES.flatMap((dir) => files(join('test', dir)));
  const stray = strayTests(tests, exists);
  assert.equal(
    stray,
    [],
    `name each after the module it tests (test/<path>.test.ts for src/<path>.ts), or list it in CROSS_MODULE_SUITES:\n${stray.join('\n')}`,
  );
  const stale = Object.keys(CROSS_MODULE_SUITES).filter((t) => !exists(t) || exists(mirroredModule(t)));
  assert.equal(stale, [], `CROSS_MODULE_SUITES lists files that are gone or already named after a module:\n${stale.join('\n')}`);
});

test('the mirror check catches a stray test file', () => {
  const tree = new Set(['src/core/dates.ts', 'src/persistence/db.ts']);
  assert.equal(
    strayTests(['test/core/dates.test.ts', 'test/core/calendar-months.test.ts', 'test/persistence/db-lock.test.ts', 'test/core/helpers.ts'], (p) =>
      tree.has(p),
    ),
    ['test/core/calendar-months.test.ts'],
  );
});

/**
 * The modules in those directories that have no unit test of their own, and
 * why: declarations only (types, contracts, tables of a schema) or constant
 * tables that a named suite checks. Every other module has its test at the
 * mirrored path.
 */
const SCHEMA = 'drizzle table declarations; the migration suites (migrate-once, template, records-upgrade, ledger-upgrade) check the database they describe';
const MODULES_WITHOUT_LOGIC: Record<string, string> = {
  'src/core/energy/rules.ts': 'the types of the GB 17167 rules; the shipped rules are read by runtime/reference-data and used by core/energy/audit',
  'src/core/imports.ts': 'the types and kinds of an import job; read through codecs/import-report and http/imports',
  'src/core/registry/types.ts': 'the registry types, interfaces only',
  'src/core/uncertainty/spec.ts': 'the types of an uncertainty specification, interfaces only',
  'src/core/sampling/iso2859-tables.ts': 'the GB/T 2828.1 tables, checked cell by cell in core/sampling/plans',
  'src/core/sampling/z19-tables.ts': 'the GB/T 6378.1 tables, checked in core/sampling/variables and variables-oc',
  'src/codecs/registers.ts': 'a map of import kinds to their register tables, each table tested in its own suite (equipment-, scope-, record-register)',
  'src/codecs/problem-titles.ts': 'the title of each error code; http/problem-language checks that every code has one in each language, no two alike',
  'src/codecs/contracts/conformity.ts': 'response schemas, declarations only',
  'src/codecs/contracts/events.ts': 'declarations built from contracts/common, read through codecs/events and contracts/resources',
  'src/codecs/contracts/energy.ts': 'declarations, read through codecs/energy',
  'src/codecs/contracts/registry.ts': "declarations built from contracts/common's blocks, read through codecs/registry and contracts/resources",
  'src/codecs/contracts/traceability.ts': 'declarations, read through codecs/traceability and contracts/resources',
  'src/app/ports.ts': 'the ports the use cases need, interfaces only; each store implements them under its own suite',
  'src/persistence/schema/access.ts': SCHEMA,
  'src/persistence/schema/columns.ts': SCHEMA,
  'src/persistence/schema/energy.ts': SCHEMA,
  'src/persistence/schema/imports.ts': SCHEMA,
  'src/persistence/schema/ledger.ts': SCHEMA,
  'src/persistence/schema/lots.ts': SCHEMA,
  'src/persistence/schema/registry.ts': SCHEMA,
  'src/persistence/schema/sessions.ts': SCHEMA,
  'src/persistence/schema/supervision.ts': SCHEMA,
  'src/persistence/schema/verification.ts': SCHEMA,
  'src/persistence/schema/index.ts': 'the re-export of the table declarations',
};

/** The modules under the mirrored directories that have neither their test nor a reason listed. */
function untestedModules(modules: readonly string[], exists: (path: string) => boolean): string[] {
  return modules.filter((m) => !exists(`test/${m.replace(/^src\//, '').replace(/\.ts$/, '.test.ts')}`) && !(m in MODULES_WITHOUT_LOGIC));
}

test('every module in the mirrored directories has its unit test, or is listed with the reason it has none', () => {
  const modules = MIRRORED_DIRECTORIES.flatMap((dir) => files(join('src', dir)));
  const missing = untestedModules(modules, exists);
  assert.equal(missing, [], `write test/<path>.test.ts for each, or list it in MODULES_WITHOUT_LOGIC with its reason:\n${missing.join('\n')}`);
  const stale = Object.keys(MODULES_WITHOUT_LOGIC).filter((m) => !exists(m) || exists(`test/${m.slice(4, -3)}.test.ts`));
  assert.equal(stale, [], `MODULES_WITHOUT_LOGIC lists modules that are gone or have a test now:\n${stale.join('\n')}`);
});

test('the test check catches a module without its test', () => {
  const tree = new Set(['src/core/dates.ts', 'test/core/dates.test.ts', 'src/core/new-rule.ts', 'src/core/registry/types.ts']);
  assert.equal(
    untestedModules(
      [...tree].filter((p) => p.startsWith('src/')),
      (p) => tree.has(p),
    ),
    ['src/core/new-rule.ts'],
  );
});

/** The keys of an object literal `const NAME = { 'test/…': … }` in scripts/run-tests.mjs. */
function suitesListedIn(name: string): string[] {
  const script = readFileSync('scripts/run-tests.mjs', 'utf8');
  const body = new RegExp(`const ${name} = \\{([\\s\\S]*?)\\n\\};`).exec(script)?.[1];
  assert.ok(body, `scripts/run-tests.mjs defines ${name}`);
  return [...body.matchAll(/^\s*'(test\/[^']+)'\s*:/gm)].map((m) => m[1]!);
}

test("the index of the suites (test/README.md) names every long and every costly suite, and run-tests.mjs's lists name real files", () => {
  const long = suitesListedIn('LONG_SUITES');
  const costly = suitesListedIn('COST');
  assert.ok(long.length >= 5 && costly.length >= 10, 'both lists were read');
  const missing = [...long, ...costly].filter((f) => !exists(f));
  assert.equal(missing, [], `scripts/run-tests.mjs names test files that do not exist (moved? update its keys):\n${missing.join('\n')}`);
  const index = readFileSync('test/README.md', 'utf8');
  const unnamed = [...new Set([...long, ...costly])].filter((f) => !index.includes(f.replace(/^test\//, '')));
  assert.equal(unnamed, [], `test/README.md does not name:\n${unnamed.join('\n')}`);
  const named = [...index.matchAll(/`([\w./-]+\.test\.ts)`/g)].map((m) => m[1]!.replace(/^test\//, '')).filter((f) => !exists(join('test', f)));
  assert.equal(named, [], `test/README.md names test files that do not exist:\n${named.join('\n')}`);
});

test.run();
