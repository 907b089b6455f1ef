// Joins the dictionaries of several features into one per language. Each key belongs to one
// feature (its prefix names it: `unit.*` is the org feature's, `forms.*` the sheets').
export function join(parts) {
  const out = { ru: {}, en: {} };
  for (const part of parts) for (const lang of Object.keys(out)) Object.assign(out[lang], part[lang]);
  return out;
}
