// The dictionaries of the signed-in features: a chunk per feature and language, fetched with
// the pages that use them (App.svelte's routes name their features; loadDictionaries() in
// shared/i18n.svelte.js), so that a sheet opened cold brings only the sheets' words in the
// user's language. The sign-in pages need only entry.js; the dashboards and the reports
// bring theirs in their own chunks (their locale.js). A new signed-in feature's
// locale-ru.js / locale-en.js are found here by their path.
const files = import.meta.glob([
  '../features/*/locale-ru.js',
  '../features/*/locale-en.js',
  '!../features/account/**',
  '!../features/dashboards/**',
  '!../features/reports/**',
]);

/** feature → language → () => import() of its dictionary. */
export const sources = {};
for (const [path, load] of Object.entries(files)) {
  const [, feature, lang] = path.match(/\/features\/([\w-]+)\/locale-(\w+)\.js$/);
  (sources[feature] ??= {})[lang] = load;
}
