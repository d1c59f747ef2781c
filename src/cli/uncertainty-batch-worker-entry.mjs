// Worker bootstrap when running the TypeScript sources (tests, development):
// a worker thread does not inherit tsx, so register it here, then load the
// worker. Built (dist/), the batch starts the compiled worker directly.
import { register } from 'tsx/esm/api';

register();
await import('./uncertainty-batch-worker.ts');
