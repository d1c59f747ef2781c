/**
 * The tree is formatted and linted as biome.json says: `npm run lint` shows
 * what is wrong, `npm run format` mends what can be mended by itself.
 */
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('biome finds nothing to format or lint', () => {
  const r = spawnSync(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'ci', '--colors=off', '--max-diagnostics=20', '.'], { encoding: 'utf8' });
  assert.is(r.status, 0, `npm run lint (npm run format mends formatting):\n${(r.stdout + r.stderr).slice(-6000)}`);
});

test.run();
