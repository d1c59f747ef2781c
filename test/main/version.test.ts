import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VERSION } from '../../src/main/version.ts';

const version = suite('main/version');

version('is the version field of package.json, unchanged', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.type(VERSION, 'string');
  assert.is(VERSION, pkg.version);
});

version('is a semantic version (major.minor.patch, optional pre-release)', () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
});

version.run();
