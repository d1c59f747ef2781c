/**
 * One process per embedded data directory (issue #15, observation 9): with a
 * server holding ./data, a CLI command that opened it too lost its writes.
 * Now the second opener is refused at once, names the directory and says
 * what to do; a lock left by a killed process is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataDirInUse, LOCK_FILE, openDb } from '../../src/persistence/db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const it = suite('one writer per embedded database');

function openInChild(dir: string): { status: number | null; stderr: string } {
  const code = `import { openDb } from ${JSON.stringify(join(root, 'src/persistence/db.ts'))}; const d = await openDb({ dataDir: ${JSON.stringify(dir)} }); await d.close();`;
  const r = spawnSync(process.execPath, ['--liftoff-only', '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr };
}

it('a second process is refused at once while the first holds the directory, and may open it after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-lock-'));
  try {
    const held = await openDb({ dataDir: dir });
    try {
      const second = openInChild(dir);
      assert.is.not(second.status, 0);
      assert.match(second.stderr, new RegExp(`the embedded database in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is open in process ${process.pid}`));
      assert.match(second.stderr, /use its API; or stop it first/);
      // the same process opening it twice is refused too
      let again: unknown;
      try {
        await openDb({ dataDir: dir });
      } catch (e) {
        again = e;
      }
      assert.instance(again, DataDirInUse);
    } finally {
      await held.close();
    }
    assert.not.ok(existsSync(join(dir, LOCK_FILE)), 'the lock goes with the close');
    assert.is(openInChild(dir).status, 0, 'free again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-ledger`, { recursive: true, force: true }); // the key ring a command made beside it
  }
});

it('a lock left by a process that no longer runs is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-lock-'));
  try {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(join(dir, LOCK_FILE), `${gone.pid}\n\n`);
    const db = await openDb({ dataDir: dir });
    assert.match(readFileSync(join(dir, LOCK_FILE), 'utf8'), new RegExp(`^${process.pid}\n`), 'the lock is ours now');
    await db.close();
    // a pid that runs again, but as another process (its start time differs): also stale
    if (existsSync('/proc/self/stat')) {
      writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n1\n`);
      const again = await openDb({ dataDir: dir });
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-ledger`, { recursive: true, force: true }); // the key ring a command made beside it
  }
});

it('the CLI says so too, with a non-zero exit, while a server would hold the directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-lock-'));
  try {
    const held = await openDb({ dataDir: dir });
    try {
      const r = spawnSync(process.execPath, [join(root, 'bin/metrotrace'), 'status', '--certificate', 'XH-JD2026-00317'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, METROTRACE_DATA: dir, DATABASE_URL: '' },
        timeout: 60_000,
      });
      assert.is(r.status, 1, r.stderr);
      assert.match(r.stderr, /is open in process \d+ \(a running `metrotrace serve`\?\)/);
    } finally {
      await held.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-ledger`, { recursive: true, force: true }); // the key ring a command made beside it
  }
});

it.run();
