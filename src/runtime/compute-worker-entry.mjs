// Worker bootstrap: the sources are TypeScript run through tsx, which a worker
// thread does not inherit, so register it here and then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./compute-worker.ts');
