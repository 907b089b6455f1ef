// The build step that writes early.js (index.html's first script, outside the bundle): its
// list of pages, each with the chunks, styles and dictionaries its route loads beyond the
// entry's, read from App.svelte's routes and the bundle itself. A browser reopened on such a
// page then fetches its code with the app's own instead of after it. Only the pages a
// teacher reopens on a tablet (EARLY): the list travels to every first visit, the sign-in
// page's too.
import { readFileSync } from 'node:fs';
import { minifySync } from 'rolldown/utils';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const ROOT = dirname(fileURLToPath(import.meta.url));
const LANGS = ['ru', 'en'];
const EARLY = ['/', '/forms', '/forms/:id'];

/** App.svelte's routes in order: [{pattern, module, words}] (the page loaders it names). */
export function appRoutes(source = readFileSync(resolve(ROOT, 'src/App.svelte'), 'utf8')) {
  const pages = {};
  for (const m of source.matchAll(/(\w+): page\(\(\) => import\('\.\/([^']+)'\)(?:, \[([^\]]*)\])?\)/g)) {
    pages[m[1]] = { module: m[2], words: [...(m[3] ?? '').matchAll(/'([\w-]+)'/g)].map((w) => w[1]) };
  }
  const routes = [];
  for (const m of source.matchAll(/\[\s*('([^']+)'|[A-Z]+),\s*pages\.(\w+),/g)) {
    const pattern = m[2] ?? { PASSWORD: '/password' }[m[1]];
    if (pattern && pages[m[3]]) routes.push({ pattern, ...pages[m[3]] });
  }
  return routes;
}

const toRegExp = (pattern) => `^${pattern.replace(/:\w+/g, '[^/]+')}$`;

export function earlyPages() {
  return {
    name: 'vsok-early-pages',
    apply: 'build',
    generateBundle(_, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byModule = new Map();
      for (const c of chunks) for (const id of c.moduleIds) byModule.set(id, c);
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      // what the entry already brings
      const entry = new Set();
      const walk = (c, into) => {
        if (!c || into.has(c.fileName)) return;
        into.add(c.fileName);
        for (const f of c.imports) walk(byFile.get(f), into);
      };
      for (const c of chunks) if (c.isEntry) walk(c, entry);

      const files = [];
      const index = (f) => (files.includes(f) ? files.indexOf(f) : files.push(f) - 1);
      const words = {};
      const pages = [];
      for (const route of appRoutes().filter((r) => EARLY.includes(r.pattern))) {
        const own = new Set();
        walk(byModule.get(resolve(ROOT, 'src', route.module)), own);
        const js = [...own].filter((f) => !entry.has(f));
        if (!js.length) continue;
        const css = js.flatMap((f) => [...(byFile.get(f).viteMetadata?.importedCss ?? [])]);
        for (const w of route.words) {
          words[w] ??= Object.fromEntries(
            LANGS.map((l) => [l, index(byModule.get(resolve(ROOT, `src/features/${w}/locale-${l}.js`))?.fileName)]),
          );
        }
        pages.push({ path: toRegExp(route.pattern), js: js.map(index), css: css.map(index), words: route.words });
      }
      const source = readFileSync(resolve(ROOT, 'early.js'), 'utf8').replace(
        '__VSOK_PAGES__',
        JSON.stringify({ files: files.map((f) => `/${f}`), words, pages }),
      );
      const { code, errors } = minifySync('early.js', source);
      if (errors.length) this.error(`early.js: ${errors.map((e) => e.message).join('; ')}`);
      this.emitFile({ type: 'asset', fileName: 'early.js', source: code });
    },
  };
}
