// Tiny i18n: flat dictionaries, the chosen language kept in localStorage,
// <html lang> and the document title follow the choice. Each feature keeps its own
// dictionaries (features/<name>/locale-ru.js, locale-en.js); src/locales/ joins them: the
// shell's and the sign-in pages' at once (entry.js), a signed-in feature's on demand in the
// user's language only (signed-in.js, loadDictionaries()), the dashboards' and the reports'
// with their chunks (extend()).
import entry from '../locales/entry.js';
import { sources } from '../locales/signed-in.js';

const dictionaries = { ru: { ...entry.ru }, en: { ...entry.en } };
// Bumped when dictionaries are added, so that text already shown with a missing key
// (the page title) is translated again.
let added = $state(0);

const STORAGE_KEY = 'vsok.lang';
export const DEFAULT_LANG = 'ru';
export const LANGS = [
  { code: 'ru', short: 'RU', name: 'Русский' },
  { code: 'en', short: 'EN', name: 'English' },
];

function storedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v && dictionaries[v] ? v : null;
  } catch {
    return null; // storage blocked (private mode, policy)
  }
}

export const locale = $state({ lang: storedLang() ?? DEFAULT_LANG });

/**
 * Add the dictionaries of a part of the app loaded on demand (its own chunk); called
 * when that chunk is imported, before its pages render.
 */
export function extend(more) {
  for (const lang of Object.keys(dictionaries)) Object.assign(dictionaries[lang], more[lang] ?? {});
  added++;
}

// `lang/feature` → the promise of that dictionary added; the features asked for so far (a
// change of language fetches theirs in the new language before it switches).
const fetched = new Map();
const wanted = new Set();

function fetchOne(lang, feature) {
  const key = `${lang}/${feature}`;
  let p = fetched.get(key);
  if (!p) {
    const load = sources[feature]?.[lang];
    p = load ? load().then((m) => extend({ [lang]: m.default })) : Promise.reject(new Error(`no dictionary ${key}`));
    p = p.catch((e) => {
      fetched.delete(key); // try again on the next page
      throw e;
    });
    fetched.set(key, p);
  }
  return p;
}

/**
 * The dictionaries of the signed-in features named (src/locales/signed-in.js: one chunk per
 * feature and language), in the current language; resolves when they are added.
 */
export function loadDictionaries(features) {
  for (const f of features) wanted.add(f);
  return Promise.all(features.map((f) => fetchOne(locale.lang, f)));
}

/** Translate `key`; `{name}` placeholders are filled from `params`. */
export function t(key, params) {
  added;
  let s = dictionaries[locale.lang][key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

/** Translate `prefix.value` when such a key exists, otherwise show the raw value. */
export function tEnum(prefix, value) {
  added;
  const key = `${prefix}.${value}`;
  return key in dictionaries[locale.lang] || key in dictionaries[DEFAULT_LANG] ? t(key) : String(value ?? '');
}

/**
 * A count with the right plural form: `key.one`, `key.few`, `key.many` or `key.other`
 * (Russian), `key.one` / `key.other` (English); `{n}` is the number.
 */
export function tn(key, n) {
  added;
  const rule = new Intl.PluralRules(locale.lang).select(n);
  const d = dictionaries[locale.lang];
  const k = `${key}.${rule}` in d ? `${key}.${rule}` : `${key}.other`;
  return t(k, { n });
}

const dateLocale = () => (locale.lang === 'ru' ? 'ru-RU' : 'en-GB');

/** A calendar date from the API (`2026-03-01`) as the user's language writes it («01.03.2026»). */
export function formatDate(day) {
  return day ? new Date(`${day}T00:00:00`).toLocaleDateString(dateLocale()) : '';
}

/** A date and time from the API in the user's local time. */
export function formatDateTime(iso) {
  if (!iso) return '';
  // Some engines reject more than three digits of fractional seconds.
  const d = new Date(String(iso).replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(dateLocale(), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * Switch the language once the dictionaries of the features in use are there in it (without
 * a network the switch happens anyway: the entry's words change, the rest as they come).
 */
export async function setLang(lang) {
  if (!dictionaries[lang] || lang === locale.lang) return;
  await Promise.all([...wanted].map((f) => fetchOne(lang, f))).catch(() => {});
  locale.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* the choice then lasts for this page only */
  }
  document.documentElement.lang = lang;
}

document.documentElement.lang = locale.lang;
