import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { installDriverGuard, isDroppedSocketWrite } from '../../src/runtime/driver-guard.ts';

const it = suite('the postgres.js dropped-socket guard');

/** The throw of postgres.js 3.4.9 when a queued write meets a dropped socket (porsager/postgres #1208). */
function droppedWrite(): TypeError {
  const e = new TypeError("Cannot read properties of null (reading 'write')");
  e.stack = [
    `TypeError: ${e.message}`,
    '    at nextWrite (file:///app/node_modules/postgres/src/connection.js:249:12)',
    '    at Immediate.<anonymous> (file:///app/node_modules/postgres/src/connection.js:233:5)',
    '    at process.processImmediate (node:internal/timers:483:21)',
  ].join('\n');
  return e;
}

it('recognises exactly the dropped-socket write of postgres.js', () => {
  assert.ok(isDroppedSocketWrite(droppedWrite()));
  const other = (change: (e: TypeError) => unknown) => {
    const e = droppedWrite();
    return isDroppedSocketWrite(change(e));
  };
  assert.not.ok(
    other((e) => Object.assign(new Error(e.message), { stack: e.stack })),
    'not a TypeError',
  );
  assert.not.ok(
    other((e) => Object.assign(e, { message: "Cannot read properties of null (reading 'end')" })),
    'another property',
  );
  assert.not.ok(
    other((e) => Object.assign(e, { stack: e.stack!.replace(/postgres\/src\/connection\.js/g, 'pg/lib/client.js') })),
    'another module',
  );
  assert.not.ok(
    other((e) => Object.assign(e, { stack: e.stack!.replace('nextWrite', 'write') })),
    'not from the queued write',
  );
  assert.not.ok(
    other((e) => Object.assign(e, { stack: undefined })),
    'no stack',
  );
  assert.not.ok(isDroppedSocketWrite("Cannot read properties of null (reading 'write')"));
  assert.not.ok(isDroppedSocketWrite(null));
});

it('installs one process handler, once: the dropped write is logged and the process lives on', () => {
  // a suite earlier in this test process may have installed it already (a server started in
  // process does, and faults.test.ts), logging where it said: then the installs here must add nothing
  const isGuard = (l: (...args: never[]) => unknown) => String(l).includes('isDroppedSocketWrite(err)');
  const ours = process.listeners('uncaughtException').filter(isGuard).length === 0;
  const logged: string[] = [];
  installDriverGuard((m) => logged.push(m));
  installDriverGuard(() => assert.unreachable('a second install is ignored'));
  const guards = process.listeners('uncaughtException').filter(isGuard);
  assert.is(guards.length, 1, 'one handler, however many installs');
  const handler = guards[0]!;

  const exit = process.exit;
  const error = console.error;
  const exits: unknown[] = [];
  const errors: unknown[][] = [];
  process.exit = ((code?: number) => {
    exits.push(code);
  }) as typeof process.exit;
  console.error = (...args: unknown[]) => {
    errors.push(args);
  };
  try {
    handler(droppedWrite(), 'uncaughtException');
    if (ours) {
      assert.is(logged.length, 1);
      assert.match(logged[0]!, /a database connection was dropped while a write was queued/);
    } else {
      // logged where the earlier install said (console.error by default, a list of its own in faults.test.ts)
      const said = errors.splice(0).map((a) => String(a[0]));
      assert.ok(
        said.every((m) => /a database connection was dropped while a write was queued/.test(m)),
        said.join('\n'),
      );
    }
    assert.equal(exits, [], 'the process is not ended');
    assert.equal(errors, []);

    // anything else ends the process as Node would have
    const boom = new Error('boom');
    handler(boom, 'uncaughtException');
    handler(boom, 'unhandledRejection');
    assert.equal(exits, [1, 1]);
    assert.equal(errors, [
      ['uncaught exception:', boom],
      ['unhandled rejection:', boom],
    ]);
    assert.is(logged.length, ours ? 1 : 0);
  } finally {
    process.exit = exit;
    console.error = error;
    if (ours) process.removeListener('uncaughtException', handler);
  }
});

it.run();
