import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UncertaintyService } from '../../src/app/uncertainty.ts';
import { createMonteCarloPool } from '../../src/runtime/monte-carlo-pool.ts';

test('a run shared with worker threads gives exactly the single-thread result', async () => {
  const pool = createMonteCarloPool(1);
  try {
    await pool.ready();
    const spec = {
      model: 'a * exp(b)',
      quantities: { a: { value: '2', u: '0.1', dof: '8' }, b: { value: '0.5', distribution: 'triangular', halfWidth: '0.2' } },
      method: 'monte-carlo',
      trials: '300000',
      seed: '77',
    };
    let used = false;
    const pooled = new UncertaintyService({
      monteCarlo: (raw, trials) => {
        const e = pool.executor(raw, trials);
        used = e !== null;
        return e;
      },
    });
    const a = pooled.evaluate(spec).json;
    assert.ok(used, 'the pool took the run');
    assert.equal(a, new UncertaintyService().evaluate(spec).json);
  } finally {
    await pool.close();
  }
});

test.run();
