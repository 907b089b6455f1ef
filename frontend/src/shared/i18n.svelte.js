// Tiny i18n: flat dictionaries, the chosen language kept in localStorage,
// <html lang> and the document title follow the choice. Each feature keeps its own
// dictionaries (features/<name>/locale-ru.js, locale-en.js); src/locales/ joins them: the
// shell's and the sign-in pages' at once (entry.js), the signed-in features' on demand
// (signed-in.js), the dashboards' with the dashboards' chunk (extend()).
import entry from '../locales/entry.js';

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

let parts = null;
/**
 * The dictionaries of the signed-in features (src/locales/signed-in.js, a chunk of its own), fetched
 * once; resolves when they are added.
 */
export function loadDictionaries() {
  parts ??= import('../locales/signed-in.js').then(
    (m) => extend(m.default),
    (e) => {
      parts = null; // try again on the next page
      throw e;
    },
  );
  return parts;
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

export function setLang(lang) {
  if (!dictionaries[lang] || lang === locale.lang) return;
  locale.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* the choice then lasts for this page only */
  }
  document.documentElement.lang = lang;
}

document.documentElement.lang = locale.lang;
