// Whether dist/ holds a build of the sources as they are now: dist/.built
// (written last by `npm run build`) is no older than the newest file under
// src/. bin/metrotrace runs dist/ only then, the test runner tests it only
// then, and the benches of whole processes refuse to measure a stale one.
import { readdirSync, statSync } from 'node:fs';

/**
 * The newest modification time of a file under `dir` (paths as strings: a URL
 * made for each of the 300 files cost half the time of the walk, which every
 * command pays).
 */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    const m = e.isDirectory() ? newest(p) : statSync(p).mtimeMs;
    if (m > t) t = m;
  }
  return t;
}

/** `root`: the project's directory, ending in '/'. */
export function distIsCurrent(root) {
  let built;
  try {
    built = statSync(`${root}dist/.built`).mtimeMs;
  } catch {
    return false;
  }
  return newest(`${root}src`) <= built;
}
