// `node --import ./scripts/from-dist.mjs`: every import of a module under src/
// loads its build under dist/ instead (src/a/b.ts → dist/a/b.js), so the
// tests run the JavaScript that bin/metrotrace and npm start run. The test
// runner adds it only while dist/ is current (bin/dist-current.mjs); the test
// files themselves still go through tsx.
//
// Measured on the quick suite (2 cores): 180 s of CPU in the test processes
// from the sources, 165 s from the build (no TypeScript to transform, and the
// build's slimmer mathjs: scripts/build.mjs).
import { register } from 'node:module';

register(new URL('./from-dist-hooks.mjs', import.meta.url));
