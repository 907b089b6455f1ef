// Tiny i18n: flat dictionaries, the chosen language kept in localStorage,
// <html lang> and the document title follow the choice.
import ru from './locales/ru.js';
import en from './locales/en.js';

const dictionaries = { ru, en };
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

/** Translate `key`; `{name}` placeholders are filled from `params`. */
export function t(key, params) {
  let s = dictionaries[locale.lang][key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

/** Translate `prefix.value` when such a key exists, otherwise show the raw value. */
export function tEnum(prefix, value) {
  const key = `${prefix}.${value}`;
  return key in dictionaries[locale.lang] || key in dictionaries[DEFAULT_LANG] ? t(key) : String(value ?? '');
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
