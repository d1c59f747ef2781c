/**
 * The CLI starts from the build and loads only what a command needs (issue 19).
 * No timings here: bench/startup.bench.ts measures them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { COMMANDS } from '../../src/cli/main.ts';
import { writeStatus } from '../../src/codecs/verification.ts';
import { parseDate } from '../../src/core/dates.ts';
import { createServices } from '../../src/main/services.ts';
import { openDb } from '../../src/persistence/db.ts';

const root = new URL('../../', import.meta.url).pathname;

/** Runs node with `args` and returns its result and every module URL it resolved. */
function traced(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-loads-'));
  const log = join(dir, 'loaded');
  try {
    const res = spawnSync(process.execPath, ['--import', './test/helpers/record-loads.mjs', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, ...env, LOADED_LOG: log },
    });
    const loaded = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    return { res, loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runBuilt = (argv: string[]) => [
  '--input-type=module',
  '-e',
  `const { main } = await import('./dist/cli/main.js'); process.exitCode = await main(${JSON.stringify(argv)});`,
];
const packagesIn = (loaded: string[]) => [
  ...new Set(loaded.filter((u) => u.includes('/node_modules/')).map((u) => u.split('/node_modules/').pop()!.split('/').slice(0, 2).join('/'))),
];

test('each command summary main() lists is the command module’s own', async () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const command = await entry.load();
    assert.is(entry.summary, command.summary, name);
  }
});

test('npm install built the CLI into dist/, and the built --help works', () => {
  assert.ok(existsSync(join(root, 'dist/cli/main.js')), 'dist/cli/main.js is missing: `npm ci` (or `npm run build`) builds it');
  assert.ok(existsSync(join(root, 'dist/.built')));
  const { res, loaded } = traced(runBuilt(['--help']));
  assert.is(res.status, 0, res.stderr);
  assert.match(res.stdout, /\n {2}uncertainty\s/);
  assert.ok(
    loaded.every((u) => !u.endsWith('.ts')),
    'the built CLI loads no TypeScript',
  );
});

test('--help loads no package and no command module (built, and from the sources)', () => {
  for (const args of [runBuilt(['--help']), ['bin/metrotrace', '--help']]) {
    const { res, loaded } = traced(args, args[0] === 'bin/metrotrace' ? { METROTRACE_FROM_SOURCE: '1' } : {});
    assert.is(res.status, 0, res.stderr);
    const ours = loaded.filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
    assert.equal(
      packagesIn(loaded).filter((p) => !p.startsWith('tsx/') && !p.startsWith('esbuild/') && !p.startsWith('get-tsconfig/')),
      [],
      loaded.join('\n'),
    );
    assert.ok(
      ours.every((u) => !/\/cli\/(?!main\.)/.test(u)),
      ours.join('\n'),
    );
  }
});

test('uncertainty evaluate loads neither the HTTP server nor the database', () => {
  const { res, loaded } = traced(runBuilt(['uncertainty', 'evaluate', 'fixtures/gum/h1-end-gauge.json']));
  assert.is(res.status, 0, res.stderr);
  assert.is(JSON.parse(res.stdout).method, 'lpu');
  const packages = packagesIn(loaded);
  for (const heavy of ['fastify', '@fastify', '@electric-sql', 'drizzle-orm', 'postgres'])
    assert.not.ok(
      packages.some((p) => p.startsWith(heavy)),
      `${heavy} loaded: ${packages.join(', ')}`,
    );
});

test('lot plan loads no database, HTTP server, mathjs or XML package (only lot rotation and lot history open the database)', () => {
  const { res, loaded } = traced(runBuilt(['lot', 'plan', '--lot-size', '300', '--aql', '1.0', '--lq', '0.05', '--json']));
  assert.is(res.status, 0, res.stderr);
  assert.is(JSON.parse(res.stdout).sampleSize > 0, true);
  const packages = packagesIn(loaded);
  for (const heavy of ['fastify', '@fastify', '@electric-sql', 'drizzle-orm', 'postgres', 'mathjs', 'xmlbuilder2'])
    assert.not.ok(
      packages.some((p) => p.startsWith(heavy)),
      `${heavy} loaded: ${packages.join(', ')}`,
    );
  assert.not.ok(
    loaded.some((u) => u.includes('/vendor/mathjs')),
    'the bundled mathjs loaded',
  );
});

test('a command that needs only part of the services (keys, event, trace, impact, lot rotation, status, verify-ledger) loads no HTTP server, mathjs or XML package', () => {
  const data = mkdtempSync(join(tmpdir(), 'metrotrace-loads-data-'));
  try {
    const { res, loaded } = traced(['--liftoff-only', ...runBuilt(['keys', 'list'])], { METROTRACE_DATA: join(data, 'data'), DATABASE_URL: '' });
    assert.is(res.status, 0, res.stderr);
    assert.is(res.stdout, '', 'a new database holds no keys');
    const packages = packagesIn(loaded);
    assert.ok(
      packages.some((p) => p.startsWith('@electric-sql')),
      'the database was opened',
    );
    for (const heavy of ['fastify', '@fastify', 'mathjs', 'xmlbuilder2', 'fast-xml-parser', 'exceljs'])
      assert.not.ok(
        packages.some((p) => p.startsWith(heavy)),
        `${heavy} loaded: ${packages.join(', ')}`,
      );
    assert.not.ok(
      loaded.some((u) => u.includes('/vendor/mathjs') || /\/main\/services\.js$/.test(u)),
      'the bundled mathjs, or every service, loaded',
    );
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('the built mathjs (dist/vendor: default simplify rules built once) differentiates and simplifies exactly as the mathjs package does', async () => {
  const { all, create } = await import('mathjs');
  const vendor = (await import(new URL('../../dist/vendor/mathjs.js', import.meta.url).href)) as typeof import('mathjs');
  const config = { number: 'BigNumber', precision: 40 } as const;
  const pkg = create(all!, config);
  const built = vendor.create(vendor.all!, config);
  const models = [
    'l_s + d - l_s * (delta_alpha * theta + alpha_s * delta_theta)',
    'm_S + dm_D + dm + dm_C + dB',
    'a * b - c / d',
    'sqrt(a) * exp(b) + log(c) - log10(a * c)',
    'sin(a) * cos(b) + tan(d) - asin(b) + acos(d) * atan(c)',
    'abs(d) * a ^ 2.5 + a ^ b',
    'log(c, a) + pi * e * d',
    '-(a - b - c - d) * (a * b * c * d)',
    'sqrt(a ^ 2 + b ^ 2) / (c * (1 + d * (a - 20)))',
    'exp(-a * b) * cos(c * b + d)',
    'a ^ 3 / (1 + a ^ 2) - 2 * a * b / (b - c) ^ 2',
    'R0 * (1 + alpha * (t - t0) + beta * (t - t0) ^ 2)',
    'V / (I * (1 + gamma * (T - 20)))',
    'atan(b / (sqrt(a ^ 2 + b ^ 2) + a)) * 2',
    'x * x * x - 3 * x * y + y / x',
  ];
  const outcome = (run: () => unknown) => {
    try {
      const node = run() as { toString(o?: object): string; toJSON(): unknown };
      return `${node.toString({ parenthesis: 'all' })} ${JSON.stringify(node)}`;
    } catch (e) {
      return `threw ${(e as Error).message}`;
    }
  };
  // twice over, and with a simplify by other rules in between: the kept rules serve every call but the first
  for (let pass = 0; pass < 2; pass++) {
    for (const model of models) {
      const symbols = [
        ...new Set(
          pkg
            .parse(model)
            .filter((n) => n.type === 'SymbolNode')
            .map((n) => (n as unknown as { name: string }).name),
        ),
      ];
      const cases: Array<[string, (m: typeof pkg) => unknown]> = [
        ['simplify', (m) => m.simplify(m.parse(model))],
        ['simplify by other rules', (m) => m.simplify(m.parse(model), ['n * 0 -> 0', 'n ^ 1 -> n'])],
        ...symbols.map((v): [string, (m: typeof pkg) => unknown] => [`derivative by ${v}`, (m) => m.derivative(m.parse(model), v)]),
      ];
      for (const [what, run] of cases)
        assert.is(
          outcome(() => run(built)),
          outcome(() => run(pkg)),
          `${what} of ${model}`,
        );
    }
  }
});

test('status reads the demo database with only the verification part of the services, and answers as the whole services do', async () => {
  const template = join(root, 'dist/pglite-demo');
  assert.ok(existsSync(join(template, 'PG_VERSION')), 'dist/pglite-demo is missing: `npm run build` makes it');
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-status-'));
  try {
    const dataDir = join(dir, 'data');
    cpSync(template, dataDir, { recursive: true });
    const env = { METROTRACE_DATA: dataDir, DATABASE_URL: '' };
    const args = ['status', '--certificate', 'XH-JD2026-00317', '--json'];
    const cases: Array<[string, number, string]> = [
      ['2026-06-01', 0, 'in_force'],
      ['2027-06-01', 3, 'overdue'],
    ];
    for (const [at, exit, state] of cases) {
      const { res, loaded } = traced(runBuilt([...args, '--at', at]), env);
      assert.is(res.status, exit, res.stderr);
      const json = JSON.parse(res.stdout);
      assert.is(json.state, state);
      const packages = packagesIn(loaded);
      for (const unneeded of ['fastify', '@fastify', 'mathjs', 'xmlbuilder2', 'fast-xml-parser', 'exceljs', 'qrcode'])
        assert.not.ok(
          packages.some((p) => p.startsWith(unneeded)),
          `${unneeded} loaded: ${packages.join(', ')}`,
        );
      assert.not.ok(
        loaded.some((u) => /\/(vendor\/mathjs|app\/dcc|app\/uncertainty|main\/services)\.js$/.test(u)),
        loaded.filter((u) => !u.includes('/node_modules/')).join('\n'),
      );
      // the whole services, over the same database, give the very same answer
      const database = await openDb({ dataDir });
      try {
        const services = createServices(database.db, randomUUID);
        const whole = writeStatus(await services.verification.lookup({ certificateNo: 'XH-JD2026-00317' }, parseDate(at, 'at')));
        assert.equal(json, JSON.parse(JSON.stringify(whole)));
      } finally {
        await database.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
