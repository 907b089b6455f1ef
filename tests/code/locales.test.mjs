// The front end's dictionaries come in pieces (frontend/src/locales/): the shell's and the
// sign-in pages' in the entry, each signed-in feature's in a chunk per language fetched with
// the pages that name it in App.svelte's routes, the dashboards' and the reports' with their
// own chunks. A page showing a word of a feature its route does not name would show the bare
// key; an English dictionary missing a key would show the bare key in English (only the
// user's language is fetched). Both are checked here from the sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'frontend', 'src');
const FEATURES = readdirSync(join(SRC, 'features'));

/** The keys a dictionary file defines (`'key': …` at the start of a line). */
const keysIn = (file) => [...readFileSync(file, 'utf8').matchAll(/^\s*'([\w.-]+)':/gm)].map((m) => m[1]);

// Whose each key is: 'entry' for the shell's and the sign-in pages', else the feature.
const owner = new Map();
for (const f of ['shell/locale-ru.js', 'features/account/locale-ru.js']) for (const k of keysIn(join(SRC, f))) owner.set(k, 'entry');
for (const f of FEATURES) {
  if (f === 'account') continue;
  for (const file of ['locale-ru.js', 'locale.js']) {
    const p = join(SRC, 'features', f, file);
    if (existsSync(p)) for (const k of keysIn(p)) owner.set(k, `${f}/${file}`);
  }
}

/** Relative imports of a source file (the modules it brings along when loaded). */
function imports(file) {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*import\s+(?:[^'"]+from\s+)?'(\.[^']+)'/gm)]
    .map((m) => resolve(dirname(file), m[1]))
    .filter((p) => /\.(svelte|js)$/.test(p) && existsSync(p));
}

/** The keys a source file uses: t('k'), tn('k'), tEnum('k', …), t(`k.${…}`) and quoted known keys. */
function used(file) {
  const src = readFileSync(file, 'utf8');
  const out = new Set();
  for (const m of src.matchAll(/\b(?:t|tn|tEnum)\(\s*(['`])((?:(?!\1)[^$])*)(\$\{)?/g)) out.add(m[3] ? `${m[2]}*` : m[2]);
  for (const m of src.matchAll(/['"]([a-zA-Z]+\.[\w.]+)['"]/g)) if (owner.has(m[1])) out.add(m[1]);
  return out;
}

/** The dictionaries (owners) that define `key` (a prefix when it ends in *; plural forms count). */
function owners(key) {
  const found = new Set();
  const prefix = key.endsWith('*') ? key.slice(0, -1) : null;
  for (const [k, o] of owner) if (prefix ? k.startsWith(prefix) : k === key || k.startsWith(`${key}.`)) found.add(o);
  return found;
}

/** App.svelte's page loaders: name → {module, features}. */
function pages() {
  const app = readFileSync(join(SRC, 'App.svelte'), 'utf8');
  const out = {};
  for (const m of app.matchAll(/(\w+): page\(\(\) => import\('\.\/([^']+)'\), \[([^\]]*)\]\)/g)) {
    out[m[1]] = { module: join(SRC, m[2]), features: [...m[3].matchAll(/'([\w-]+)'/g)].map((x) => x[1]) };
  }
  return out;
}

test('every page loader of App.svelte names the dictionaries it needs', () => {
  const all = pages();
  assert.ok(Object.keys(all).length >= 30, 'the page loaders are found');
  const missing = [];
  for (const [name, { module, features }] of Object.entries(all)) {
    for (const f of features) assert.ok(existsSync(join(SRC, 'features', f, 'locale-ru.js')), `${name}: no dictionary of ${f}`);
    const seen = new Set();
    const stack = [module];
    const have = new Set(['entry', ...features.map((f) => `${f}/locale-ru.js`)]);
    const keys = new Set();
    while (stack.length) {
      const file = stack.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      // a feature's locale.js adds its words when imported (the dashboards, the reports)
      const base = file.slice(join(SRC, 'features').length + 1);
      if (/^[\w-]+\/locale(-ru)?\.js$/.test(base)) have.add(base);
      for (const k of used(file)) keys.add(k);
      stack.push(...imports(file));
    }
    for (const k of keys) {
      const o = owners(k);
      if (o.size && ![...o].some((x) => have.has(x))) missing.push(`${name}: ${k} (${[...o].join(', ')})`);
    }
  }
  assert.deepEqual(missing, [], 'words shown by a page whose dictionary its route does not load');
});

test('the Russian and English dictionaries of each part define the same keys (plural forms aside)', () => {
  const dirs = ['shell', ...FEATURES.map((f) => `features/${f}`)];
  const diff = [];
  for (const d of dirs) {
    const ru = join(SRC, d, 'locale-ru.js');
    if (!existsSync(ru)) continue;
    const strip = (ks) => new Set(ks.filter((k) => !/\.(few|many)$/.test(k)));
    const a = strip(keysIn(ru));
    const b = strip(keysIn(join(SRC, d, 'locale-en.js')));
    for (const k of a) if (!b.has(k)) diff.push(`${d}: English lacks ${k}`);
    for (const k of b) if (!a.has(k)) diff.push(`${d}: Russian lacks ${k}`);
  }
  assert.deepEqual(diff, []);
});

test('early.js’s list of pages is read from every route of App.svelte', async () => {
  const { appRoutes } = await import(join(ROOT, 'frontend', 'early-pages.js'));
  const app = readFileSync(join(SRC, 'App.svelte'), 'utf8');
  const routes = [...app.matchAll(/^\s*\[[^\]]*pages\.\w+,/gm)].length;
  const read = appRoutes(app);
  assert.equal(read.length, routes, 'each route with its page and words');
  const sheet = read.find((r) => r.pattern === '/forms/:id');
  assert.deepEqual(sheet, { pattern: '/forms/:id', module: 'features/forms/Form.svelte', words: ['forms'] });
});
