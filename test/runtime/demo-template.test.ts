import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_TEMPLATE, demoFingerprint, demoStart, demoTemplateRecord, readyDemoTemplate } from '../../src/runtime/demo-template.ts';

const it = suite('the prepared demo database');
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every file under a directory, by name at each level, directories walked in place. */
function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap((name) => walk(join(path, name)));
}

const fingerprint = demoFingerprint();

it('the fingerprint is SHA-256 over the path and content of every source, migration, demo and reference file and the lockfile', () => {
  assert.match(fingerprint, /^[0-9a-f]{64}$/);
  const hash = createHash('sha256');
  for (const input of ['src', 'fixtures/demo', 'fixtures/reference', 'calibration-chains', 'package-lock.json']) {
    for (const file of walk(join(root, input))) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  assert.is(fingerprint, hash.digest('hex'));
  assert.is(demoFingerprint(), fingerprint, 'the same files, the same fingerprint');
});

it('the record written beside a template: the fingerprint of the files now and the summary, one JSON line', () => {
  const text = demoTemplateRecord({ organisations: 10, equipment: 36 });
  assert.is(text, `{"fingerprint":"${fingerprint}","summary":{"organisations":10,"equipment":36}}\n`);
});

it('the template is used only when its record names the files in place now', () => {
  const recordFile = `${DEMO_TEMPLATE}.json`;
  assert.match(DEMO_TEMPLATE, /dist\/pglite-demo$/);
  const made = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as { fingerprint: string; summary: Record<string, number> }) : null;
  const ready = readyDemoTemplate();
  if (made && made.fingerprint === fingerprint) assert.equal(ready, { dir: DEMO_TEMPLATE, summary: made.summary });
  else assert.is(ready, undefined, made ? 'a template made from other files' : 'no template built');
});

it('demoStart: the template is looked for only when a new directory is made, and only that directory is the demo', () => {
  const ready = readyDemoTemplate();
  const demo = demoStart();
  assert.is(demo.prepared(DEMO_TEMPLATE), undefined, 'before a new directory was made: nothing prepared');
  assert.is(demo.template(), ready?.dir);
  assert.equal(demo.prepared(DEMO_TEMPLATE), ready?.summary);
  assert.is(demo.prepared('/elsewhere/pglite-template'), undefined, 'started from the empty template: the demo is still to load');
  assert.is(demo.prepared(undefined), undefined, 'an existing directory');
  // each start is its own
  assert.is(demoStart().prepared(DEMO_TEMPLATE), undefined);
});

it.run();
