// The uvu entry for scripts/run-tests.mjs: runs test files (paths from the
// project root) in this one process, so one migrated database serves all of
// them, then closes the shared databases so the process exits.
//
// Spawned by run-tests.mjs with an IPC channel, it asks for one file at a
// time ('next') and the runner hands out the longest files first, so the
// processes end together whatever the files cost on this machine. Run by
// hand, it takes the files as arguments.
//
// TEST_TIMES=<file> appends each test file's wall and CPU seconds (this
// process's, and its child processes' — the CLI suites spawn commands) to
// that file as tab-separated lines: what to look at when the suite is slow.
//
// Each file is its own uvu run; uvu's per-run totals are taken out of the
// output and summed into one closing block in uvu's format (what
// run-tests.mjs reads), and one failing file fails the process.
import { appendFileSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

declare global {
  // uvu's deferred-run globals
  var UVU_DEFER: number;
  var UVU_INDEX: number;
  var UVU_QUEUE: unknown[][];
}

globalThis.UVU_DEFER = 1;
const uvu = await import('uvu');

const TOTALS = /\n {2}Total: {5}(\d+)\n {2}Passed: {4}(\d+)\n {2}Skipped: {3}(\d+)\n {2}Duration: {2}[^\n]*\n\n$/;
const totals = { total: 0, passed: 0, skipped: 0 };
let failed = false;
const started = performance.now();

/** CPU seconds of the child processes waited for so far (Linux; 0 elsewhere). */
function childCpu(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in clock ticks
  } catch {
    return 0;
  }
}

async function runFile(file: string): Promise<void> {
  if (!process.env.TEST_TIMES) return runTests(file);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const children = childCpu();
  await runTests(file);
  const used = process.cpuUsage(cpu);
  const row = [file, (performance.now() - wall) / 1000, (used.user + used.system) / 1e6, childCpu() - children];
  appendFileSync(process.env.TEST_TIMES, `${row.map((v) => (typeof v === 'number' ? v.toFixed(2) : v)).join('\t')}\n`);
}

async function runTests(file: string): Promise<void> {
  globalThis.UVU_QUEUE.length = 0;
  globalThis.UVU_INDEX = 0;
  globalThis.UVU_QUEUE.push([relative('test', file)]);
  try {
    await import(pathToFileURL(join(process.cwd(), file)).href);
  } catch (error) {
    // a file that cannot even load counts as one failure; the other files still run
    process.stdout.write(`\n${file} failed to load:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    totals.total += 1;
    failed = true;
    return;
  }
  // uvu writes its report through process.stdout.write; hold it back to take the totals out
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await uvu.exec(false);
  } finally {
    process.stdout.write = write;
  }
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const m = TOTALS.exec(plain);
  if (m) {
    totals.total += Number(m[1]);
    totals.passed += Number(m[2]);
    totals.skipped += Number(m[3]);
    process.stdout.write(`${plain.slice(0, m.index)}\n`);
  } else process.stdout.write(out);
  if (process.exitCode) failed = true;
}

if (process.send) {
  const send = process.send.bind(process);
  await new Promise<void>((resolve, reject) => {
    process.on('message', (file: string | null) => {
      if (file === null) return resolve();
      runFile(file).then(() => send('next'), reject);
    });
    send('next');
  });
  process.disconnect();
} else for (const file of process.argv.slice(2)) await runFile(file);

process.stdout.write(
  `\n  Total:     ${totals.total}\n  Passed:    ${totals.passed}\n  Skipped:   ${totals.skipped}\n  Duration:  ${((performance.now() - started) / 1000).toFixed(2)}s\n\n`,
);
process.exitCode = failed ? 1 : 0;
const { closeTestDatabases } = await import('../test/helpers/db.ts');
await closeTestDatabases();
