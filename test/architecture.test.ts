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

test.run();
