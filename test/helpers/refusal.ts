/** What a refused input comes to, for the codec and contract suites: the error's code and the field at fault. */
import { readContract } from '../../src/codecs/contracts/read.ts';
import { MetrologyError } from '../../src/core/errors.ts';

/** The code and path of the MetrologyError `read` throws; fails the test when it accepts. */
export function refusal(read: () => unknown): [string, string] {
  try {
    read();
  } catch (e) {
    if (e instanceof MetrologyError) return [e.code, e.path];
    throw e;
  }
  throw new Error('accepted');
}

/** The code, path and message of readContract's refusal of `raw`, or 'ok' when the contract accepts it. */
export function contractRefusal(schema: Parameters<typeof readContract>[0], raw: unknown): [string, string, string] | 'ok' {
  try {
    readContract(schema, raw);
    return 'ok';
  } catch (e) {
    if (e instanceof MetrologyError) return [e.code, e.path, e.message];
    throw e;
  }
}
