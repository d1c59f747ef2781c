#!/usr/bin/env node
// Runs the uvu suites under test/ (TypeScript through tsx) in one process and
// closes with the line CI reads: "N passed, N failed". uvu itself prints only
// its own totals, so they are parsed from its output here.
//   node scripts/run-tests.mjs [pattern]   — only test files whose path contains pattern
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/uvu-main.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code, signal) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = /Total:\s+(\d+)/.exec(plain);
  const passed = /Passed:\s+(\d+)/.exec(plain);
  const skipped = /Skipped:\s+(\d+)/.exec(plain);
  if (!total || !passed) {
    console.log(`\ntest run ended before uvu reported totals (exit ${code ?? signal})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const failed = Number(total[1]) - Number(passed[1]);
  const exit = code !== 0 || failed > 0 ? 1 : 0;
  console.log(`${passed[1]} passed, ${failed} failed${skipped && skipped[1] !== '0' ? `, ${skipped[1]} skipped` : ''}`);
  process.exit(exit);
});
