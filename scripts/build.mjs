#!/usr/bin/env node
// `npm run build` (and so `npm install`, through the `prepare` script):
//
// 0. src/ compiled into dist/, same tree, by esbuild: each module on its own,
//    its types stripped and its `.ts` import specifiers rewritten to `.js`.
//    Nothing is type-checked here: `npm test` and `npm run typecheck` do
//    that (tsc --noEmit, strict). tsc emitting the same files took 8 s of the
//    install here, esbuild well under one.
// 1. mathjs, bundled. Its package entry builds a complete default instance of
//    every function at import (≈3,800 modules, 2–3 s of CPU here), which
//    metrotrace never uses: it makes its own instance with create(all, …)
//    (src/core/numeric/math.ts), whose functions mathjs builds lazily. The
//    build bundles just `create` and `all` from mathjs's own ES modules into
//    dist/vendor/mathjs.js (esbuild; decimal.js stays external, so mathjs and
//    metrotrace share one decimal.js as they do unbuilt) and points the built
//    modules that import only those names at it. Same code, same instance,
//    a fraction of the load (and without its white space: less to parse). A
//    module importing anything else from mathjs keeps the package import
//    (slower to start, still correct).
// 2. dist/pglite-template: a PGlite data directory, initialised and migrated,
//    that a new embedded database starts as a copy of (src/persistence/db.ts),
//    instead of running PostgreSQL's initdb (10-20 s here) on first start.
//    Remade only when PGlite's version or the last migration changes (from
//    the previous template when PGlite is the same: only the new migrations).
// 3. dist/pglite-demo: the demo data loaded into a copy of that template by
//    the same code the server runs on first start (src/runtime/demo-template.ts),
//    so a first `npm start` copies it instead of loading the demo (10 s here).
//    Remade when any source, migration, demo or reference file changes.
// 4. dist/.built, whose time (the build's start) bin/metrotrace and the test
//    runner compare with the sources' (bin/dist-current.mjs).
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { patchPostgres } from './patch-postgres.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const VENDORED = new Set(['create', 'all']);

/** The TypeScript modules under src/ (declarations aside). */
function sourceModules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceModules(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Every import of another module of ours stays an import, its specifier
 * ending in `.js` instead of `.ts`; packages stay imports too (`packages:
 * 'external'`). So "bundling" each module as an entry point compiles it alone.
 */
const eachModuleAlone = {
  name: 'each-module-alone',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => ({ path: args.path.replace(/\.ts$/, '.js'), external: true }));
  },
};

// the compiled tree is made anew (a module deleted from src/ leaves nothing behind); the
// prepared databases and their records under dist/ are kept
const srcDir = join(root, 'src');
// postgres.js's write to a closed socket, guarded in the installed package (scripts/patch-postgres.mjs)
for (const outcome of patchPostgres(root)) if (!outcome.endsWith('guarded already')) console.log(`build: ${outcome}`);
// when the sources were read: dist/.built carries this time, not the end's, so that a source
// saved while the build ran (the prepared databases take seconds) leaves the build stale
const started = new Date();
for (const e of readdirSync(srcDir, { withFileTypes: true })) {
  rmSync(join(dist, e.isDirectory() ? e.name : e.name.replace(/\.ts$/, '.js')), { recursive: true, force: true });
}
rmSync(join(dist, '.tsbuildinfo'), { force: true }); // left by builds with tsc
await build({
  entryPoints: sourceModules(srcDir),
  outdir: dist,
  outbase: srcDir,
  bundle: true,
  packages: 'external',
  plugins: [eachModuleAlone],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});

/**
 * mathjs's simplify turns its default rules (some fifty, written as text) into
 * expression trees at every call, half the cost of a symbolic derivative (a
 * model with six inputs is six calls). In the bundle, the rules so built for
 * the default list without a context are kept and used again, as long as the
 * list holds the same rules. The same trees every time: building reads only
 * the rules and the placeholder counter, which every call has reset to 0 by
 * then, and matching a rule never changes it (its replacement is cloned). When
 * mathjs's text is not the one expected, it is bundled as it is (slower, still
 * correct) and the build says so.
 */
const simplifyRulesOnce = {
  name: 'simplify-rules-once',
  setup(b) {
    b.onLoad({ filter: /[\\/]lib[\\/]esm[\\/]function[\\/]algebra[\\/]simplify\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const call = '    rules = _buildRules(rules || simplify.rules, options.context);\n';
      const counter = '  var _lastsym = 0;\n';
      if (!text.includes(call) || !text.includes(counter)) {
        console.error(`build: ${relative(root, args.path)} is not as expected; its default rules are built at every call (slower derivatives)`);
        return { contents: text, loader: 'js' };
      }
      return {
        contents: text
          .replace(counter, `${counter}  var _defaultRules = null;\n  var _defaultRulesFrom = null;\n`)
          .replace(
            call,
            [
              '    if ((!rules || rules === simplify.rules) && options.context === undefined) {',
              '      var list = simplify.rules;',
              '      if (!_defaultRules || _defaultRulesFrom.length !== list.length || _defaultRulesFrom.some((r, i) => r !== list[i])) {',
              '        _defaultRules = _buildRules(list, undefined);',
              '        _defaultRulesFrom = list.slice();',
              '      }',
              '      rules = _defaultRules;',
              '    } else {',
              '      rules = _buildRules(rules || simplify.rules, options.context);',
              '    }',
              '',
            ].join('\n'),
          ),
        loader: 'js',
      };
    });
  },
};

await build({
  stdin: {
    // Files in the package (its `exports` hides lib/esm/*, so by path, not by name).
    contents:
      "export { create } from './node_modules/mathjs/lib/esm/core/create.js';\nexport { all } from './node_modules/mathjs/lib/esm/entry/allFactoriesAny.js';\n",
    resolveDir: root,
    sourcefile: 'mathjs-create-all.js',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['decimal.js'],
  plugins: [simplifyRulesOnce],
  // white space only (names and syntax as written): a third less source for node to
  // read and parse at every start of a command that uses mathjs
  minifyWhitespace: true,
  outfile: join(dist, 'vendor/mathjs.js'),
  logLevel: 'warning',
});

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'vendor' ? [] : jsFiles(join(dir, e.name))) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']mathjs["'];?/g;
let pointed = 0;
for (const file of jsFiles(dist)) {
  const text = readFileSync(file, 'utf8');
  if (!/from\s*["']mathjs["']/.test(text)) continue;
  const out = text.replace(IMPORT, (whole, names) => {
    const imported = names
      .split(',')
      .map((n) => n.trim().split(/\s+as\s+/)[0])
      .filter(Boolean);
    if (!imported.every((n) => VENDORED.has(n))) {
      console.error(`build: ${relative(root, file)} imports ${imported.join(', ')} from mathjs; left on the package (slower start)`);
      return whole;
    }
    pointed++;
    let spec = relative(dirname(file), join(dist, 'vendor/mathjs.js'));
    if (!spec.startsWith('.')) spec = `./${spec}`;
    return whole.replace(/["']mathjs["']/, JSON.stringify(spec));
  });
  if (out !== text) writeFileSync(file, out);
}
if (pointed === 0) console.error('build: no module imports create/all from mathjs any more; dist/vendor/mathjs.js is unused');

// The prepared databases only save time: if they cannot be made, say so and go on (a new
// data directory then runs initdb and loads the demo, as without them).
try {
  const { lastCommittedMigration, openDb, PGLITE_TEMPLATE, PGLITE_TEMPLATE_DUMP, pgliteVersion } = await import(
    pathToFileURL(join(dist, 'persistence/db.js')).href
  );
  const wanted = { pglite: pgliteVersion(), migration: lastCommittedMigration().hash };
  let made = {};
  try {
    made = JSON.parse(readFileSync(`${PGLITE_TEMPLATE}.json`, 'utf8'));
  } catch {
    // none yet
  }
  if (made.pglite !== wanted.pglite || made.migration !== wanted.migration || !existsSync(join(PGLITE_TEMPLATE, 'PG_VERSION'))) {
    const t0 = performance.now();
    const next = `${PGLITE_TEMPLATE}.next`;
    rmSync(next, { recursive: true, force: true });
    const database = await openDb({ dataDir: next });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    rmSync(PGLITE_TEMPLATE, { recursive: true, force: true });
    rmSync(PGLITE_TEMPLATE_DUMP, { force: true });
    renameSync(next, PGLITE_TEMPLATE);
    writeFileSync(`${PGLITE_TEMPLATE}.json`, `${JSON.stringify(wanted)}\n`);
    console.error(`build: ${relative(root, PGLITE_TEMPLATE)} made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  // the same template as one file, for in-memory databases (tests, above all): dumped from a
  // copy, since opening a data directory writes to it
  if (!existsSync(PGLITE_TEMPLATE_DUMP)) {
    const t0 = performance.now();
    const copy = `${PGLITE_TEMPLATE}.dumping`;
    rmSync(copy, { recursive: true, force: true });
    cpSync(PGLITE_TEMPLATE, copy, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const client = new PGlite(copy);
    try {
      await client.waitReady;
      const dump = await client.dumpDataDir('none');
      writeFileSync(`${PGLITE_TEMPLATE_DUMP}.next`, Buffer.from(await dump.arrayBuffer()));
      renameSync(`${PGLITE_TEMPLATE_DUMP}.next`, PGLITE_TEMPLATE_DUMP);
    } finally {
      await client.close();
      rmSync(copy, { recursive: true, force: true });
    }
    console.error(`build: ${relative(root, PGLITE_TEMPLATE_DUMP)} made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const { DEMO_TEMPLATE, demoFingerprint, demoTemplateRecord } = await import(pathToFileURL(join(dist, 'runtime/demo-template.js')).href);
  let demoMade = {};
  try {
    demoMade = JSON.parse(readFileSync(`${DEMO_TEMPLATE}.json`, 'utf8'));
  } catch {
    // none yet
  }
  if (demoMade.fingerprint !== demoFingerprint() || !existsSync(join(DEMO_TEMPLATE, 'PG_VERSION'))) {
    const t0 = performance.now();
    const { createServices } = await import(pathToFileURL(join(dist, 'main/services.js')).href);
    const { loadRegistryData } = await import(pathToFileURL(join(dist, 'app/demo.js')).href);
    const { DEMO_FILE } = await import(pathToFileURL(join(dist, 'main/server.js')).href);
    const next = `${DEMO_TEMPLATE}.next`;
    rmSync(next, { recursive: true, force: true });
    rmSync(`${DEMO_TEMPLATE}.json`, { force: true });
    const database = await openDb({ dataDir: next });
    let summary;
    try {
      await database.migrate();
      const services = createServices(database.db, randomUUID);
      summary = await loadRegistryData(services.unitOfWork, JSON.parse(readFileSync(DEMO_FILE, 'utf8')), randomUUID, services.rules);
      // built without a ledger key (each install has its own): note the head as awaiting the
      // seal that the first start signs with that install's key, as an upgraded database is
      const { sql } = await import('drizzle-orm');
      await database.db.execute(sql`select metrotrace_ledger_upgrade()`);
    } finally {
      await database.close();
    }
    rmSync(DEMO_TEMPLATE, { recursive: true, force: true });
    renameSync(next, DEMO_TEMPLATE);
    writeFileSync(`${DEMO_TEMPLATE}.json`, demoTemplateRecord(summary));
    console.error(`build: ${relative(root, DEMO_TEMPLATE)} (the demo data) made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} catch (e) {
  console.error(`build: the prepared databases were not made (${e instanceof Error ? e.message : e}); new data directories will be initialised at first start`);
}

writeFileSync(join(dist, '.built'), `${started.toISOString()}\n`);
utimesSync(join(dist, '.built'), started, started);
