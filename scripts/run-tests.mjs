#!/usr/bin/env node
// Runs the uvu suites under test/ (TypeScript through tsx) and closes with the
// line CI reads: "N passed, N failed".
//
//   node scripts/run-tests.mjs [--all] [--typecheck] [pattern…]
//
// Without --all (the README's `npm test`): every suite except the long ones
// listed in LONG_SUITES, on the embedded database only (DATABASE_URL is
// ignored). With --all (`npm run test:all`, what CI runs): every suite, and
// the database suites on the PostgreSQL server too when DATABASE_URL is set.
// A pattern keeps only test files whose path contains it.
//
// --install-tools (npm test, npm run test:all) runs scripts/ensure-test-tools.sh
// beside the test processes: it installs chromium and xmllint where they are
// missing and the machine can (an apt-get run of 20-40 s on a fresh machine,
// mostly waiting on the network). Only the files that need those programs
// (NEEDS_TOOLS) are held back until it ends; the others run meanwhile.
//
// --typecheck (npm test, npm run test:all) runs `tsc --noEmit` beside the
// test processes rather than before them, on one thread (--singleThreaded:
// the test processes have the cores), so no core sits idle waiting for it;
// a type error counts as one failure and its report is printed. TypeScript 7
// (the native compiler) checks the project in ~5 CPU-seconds here where
// TypeScript 5 took 24.
//
// The files are run by one process per core (each migrates its own in-memory
// database), handed out one at a time, longest first (COST), to whichever
// process is free; each process's report is printed whole when it ends, so
// reports never interleave.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent } from '../bin/dist-current.mjs';

/** Suites that run only under --all, and why. */
export const LONG_SUITES = {
  'test/reliability/fuzz.test.ts': 'fast-check over every route and codec (minutes)',
  'test/reliability/faults.test.ts': 'kills writer processes and cuts connections',
  'test/reliability/replica-cluster.test.ts': 'starts its own PostgreSQL primary, streaming replica and two API processes (scripts/cluster.sh)',
  'test/runtime/compute-pool.test.ts': 'runs models until the deadline ends their worker, seconds each',
  'test/persistence/lookup-plans.test.ts': 'inflates the registry to thousands of instruments over five years of partitions, then plans every lookup',
  'test/persistence/records-upgrade.test.ts': 'builds a database at migration 0040 the long way (initdb and every migration) and upgrades it',
  'test/persistence/ledger-upgrade.test.ts': 'builds ledgers at old migrations the long way and upgrades them',
};

/**
 * Suites that run alone, no other file beside them (with --all), and why: the
 * fault suite restarts the machine's PostgreSQL server (an immediate, crash
 * restart), which ends every connection another test process holds to it.
 * Run beside the export suite on that server, it failed it mid-test, and once
 * took its process down (postgres.js, scripts/patch-postgres.mjs).
 */
export const EXCLUSIVE_SUITES = {
  'test/reliability/faults.test.ts': "restarts the machine's PostgreSQL server",
};

/** How long the tools' install may take before the files waiting for it run without it (seconds). */
const TOOLS_LIMIT_S = 300;

/** Test files (by path prefix) that need a program scripts/ensure-test-tools.sh installs. */
const NEEDS_TOOLS = ['test/browser/', 'test/codecs/dcc-schema.test.ts'];

/**
 * Rough cost of the slower suites in seconds (wall, measured with TEST_TIMES
 * in a full quick run on 2 cores, 2026-12-04), to balance the processes: a long file
 * handed out last would keep one process running alone at the end.
 */
const COST = {
  'test/reliability/fuzz.test.ts': 400,
  'test/reliability/replica-cluster.test.ts': 60,
  'test/reliability/faults.test.ts': 25,
  'test/cli/lot.test.ts': 19,
  'test/persistence/export.test.ts': 15,
  'test/cli/event.test.ts': 14,
  'test/browser/app-pages.test.ts': 11,
  'test/persistence/registry-store.test.ts': 10,
  'test/cli/startup.test.ts': 10,
  'test/http/supervision.test.ts': 9,
  'test/http/traceability-quantities.test.ts': 9,
  'test/http/replica-reads.test.ts': 9,
  'test/browser/documents.test.ts': 8,
  'test/http/app-views.test.ts': 8,
  'test/http/access.test.ts': 7,
  'test/persistence/db-lock.test.ts': 7,
  'test/http/app-pages.test.ts': 7,
  'test/codecs/uncertainty-fast.test.ts': 7,
  'test/cli/uncertainty.test.ts': 5,
  'test/persistence/identifier-key.test.ts': 5,
  'test/browser/lookup.test.ts': 5,
  'test/http/lot-rotation.test.ts': 5,
  'test/http/filed-certificates.test.ts': 4,
  'test/persistence/current-records.test.ts': 4,
  'test/conformance/table-g2.test.ts': 3,
  'test/http/dcc.test.ts': 3,
  'test/http/as-known-at.test.ts': 3,
};

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const all = args.includes('--all');
const typecheck = args.includes('--typecheck');
const installTools = args.includes('--install-tools');
const patterns = args.filter((a) => !['--all', '--typecheck', '--install-tools'].includes(a));

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
    });
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => all || !(f in LONG_SUITES))
  .filter((f) => patterns.length === 0 || patterns.some((p) => f.includes(p)));
if (!all) {
  const left = Object.entries(LONG_SUITES).filter(([f]) => patterns.length === 0 || patterns.some((p) => f.includes(p)));
  for (const [f, why] of left) console.log(`(${f} runs with npm run test:all: ${why})`);
}

// The tests run the build in dist/ when it is current (scripts/from-dist.mjs),
// else the sources through tsx; METROTRACE_FROM_SOURCE=1 asks for the sources.
const fromDist = process.env.METROTRACE_FROM_SOURCE !== '1' && distIsCurrent(root);
console.log(
  fromDist
    ? 'test: the sources run as built in dist/ (current with src/)'
    : 'test: the sources run through tsx (dist/ is missing or older than src/: npm run build)',
);

const env = { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
if (!all) delete env.DATABASE_URL;

// One process per core; each asks for its next file when it is done with the
// last, and the longest files (by COST) go first, so the processes end
// together however long each file takes on this machine.
const workers = Math.max(1, Math.min(Number(process.env.TEST_PROCESSES ?? availableParallelism()), files.length));
const queue = [...files].sort((a, b) => (COST[b] ?? 1) - (COST[a] ?? 1) || a.localeCompare(b));

// The tools' install, when asked for and some file needs them; a file that
// needs them is handed out only once it has ended (whatever its outcome: the
// file then runs or reports itself skipped).
const needsTools = (file) => NEEDS_TOOLS.some((prefix) => file.startsWith(prefix));
let toolsReady = !installTools || !files.some(needsTools);
const tools = toolsReady
  ? Promise.resolve()
  : new Promise((resolve) => {
      const setup = spawn('bash', [join(root, 'scripts/ensure-test-tools.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      setup.stdout.on('data', (c) => process.stdout.write(c));
      setup.stderr.on('data', (c) => process.stderr.write(c));
      // apt-get may hang on a lock or a dead mirror: the files that wait for it then run (or report themselves skipped)
      const limit = setTimeout(() => {
        console.log(
          `test: scripts/ensure-test-tools.sh still running after ${TOOLS_LIMIT_S} s; stopped, the tests that need chromium or xmllint may be skipped`,
        );
        setup.kill('SIGKILL');
        resolve();
      }, TOOLS_LIMIT_S * 1000);
      setup.on('error', (e) => {
        console.log(`test: scripts/ensure-test-tools.sh could not be run (${e.message}); the tests that need chromium or xmllint may be skipped`);
        clearTimeout(limit);
        resolve();
      });
      // 'exit', not 'close': a program apt-get leaves running may hold the pipes open
      setup.on('exit', () => {
        clearTimeout(limit);
        resolve();
      });
    }).then(() => {
      toolsReady = true;
    });

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
/** Files being run now; whether one of them is an exclusive suite, or one waits for the others to end. */
let running = 0;
let alone = false;

/**
 * The next file to run: the costliest one ready, waiting for the tools'
 * install only when nothing else is left. An exclusive suite is taken last,
 * when only exclusive suites are left; it then waits for the files running to
 * end, and nothing else starts while it waits or runs. (The caller says when
 * its file has ended: ended(); or that it could not take it: putBack().)
 */
async function nextFile() {
  for (;;) {
    while (alone) await pause(100);
    const ready = (f) => toolsReady || !needsTools(f);
    let i = queue.findIndex((f) => ready(f) && !(f in EXCLUSIVE_SUITES));
    if (i < 0 && queue.every((f) => f in EXCLUSIVE_SUITES)) i = queue.findIndex(ready);
    if (i < 0 && queue.length === 0) return null;
    if (i < 0) {
      await tools; // only files that need the tools are left
      continue;
    }
    const [file] = queue.splice(i, 1);
    if (file in EXCLUSIVE_SUITES) {
      alone = true;
      while (running > 0) await pause(100);
    }
    running += 1;
    return file;
  }
}

/** A file handed to a process that ended meanwhile: back to the queue, for another. */
function putBack(file) {
  queue.unshift(file);
  ended(file);
}

function ended(file) {
  running -= 1;
  if (file in EXCLUSIVE_SUITES) alone = false;
}

function run() {
  return new Promise((resolve) => {
    // --liftoff-only: the embedded databases run as baseline-compiled
    // WebAssembly, without V8 recompiling PostgreSQL's hot functions in the
    // background (bin/metrotrace says why); four of the slowest database
    // suites took 53 s in one process with the default and 41 s with this.
    const hooks = fromDist ? ['--import', './scripts/from-dist.mjs'] : [];
    const child = spawn(process.execPath, ['--liftoff-only', '--import', 'tsx', ...hooks, 'scripts/uvu-main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env,
    });
    const ran = [];
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    // the file this process is running (ended when it asks for the next, or when it ends itself)
    let current = null;
    const done = () => {
      if (current !== null) ended(current);
      current = null;
    };
    let dead = false;
    child.on('message', async () => {
      done();
      const file = await nextFile();
      if (dead) {
        if (file !== null) putBack(file);
        return;
      }
      current = file;
      if (file !== null) ran.push(file);
      child.send(file);
    });
    child.on('error', (e) => (err += `${e.message}\n`));
    child.on('close', (code, signal) => {
      dead = true;
      done();
      resolve({ out, err, code, signal, files: ran });
    });
  });
}

const started = Date.now();
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
const checked = typecheck
  ? new Promise((resolve) => {
      const tsc = spawn(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--singleThreaded', '-p', 'tsconfig.json'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      tsc.stdout.on('data', (c) => (out += c));
      tsc.stderr.on('data', (c) => (out += c));
      tsc.on('close', (code) => {
        if (code === 0) console.log(`type-check (tsc --noEmit): no errors, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        else {
          console.log(`type-check (tsc --noEmit) failed:\n${out}`);
          failed += 1;
        }
        resolve();
      });
    })
  : Promise.resolve();
const pending = Array.from({ length: workers }, () =>
  run().then((r) => {
    process.stdout.write(r.out);
    if (r.err) process.stderr.write(r.err);
    const plain = r.out.replace(/\x1b\[[0-9;]*m/g, '');
    const total = /Total:\s+(\d+)/.exec(plain);
    const ok = /Passed:\s+(\d+)/.exec(plain);
    const skip = /Skipped:\s+(\d+)/.exec(plain);
    if (!total || !ok) {
      console.log(`\na test process ended before uvu reported totals (exit ${r.code ?? r.signal}); its files: ${r.files.join(', ')}`);
      broken = true;
      failed += 1;
      return;
    }
    passed += Number(ok[1]);
    failed += Number(total[1]) - Number(ok[1]);
    skipped += skip ? Number(skip[1]) : 0;
    if (r.code !== 0 && Number(total[1]) === Number(ok[1])) broken = true;
  }),
);
await Promise.all([...pending, checked, tools]);
console.log(
  `\n${files.length} test files in ${workers} process${workers === 1 ? '' : 'es'}, ${((Date.now() - started) / 1000).toFixed(1)} s${all ? '' : ' (quick suite; npm run test:all for everything)'}`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || broken ? 1 : 0);
