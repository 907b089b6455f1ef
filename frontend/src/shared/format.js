// Numbers, percentages, file sizes and speeds for people, in the interface's language,
// through Intl: «3,0 МБ», «48 КБ/с», «1 234», «75 %» in Russian; «3.0 MB», «48 KB/s»,
// «1,234», «75%» in English. The one place the app formats them.

const TAG = { ru: 'ru-RU', en: 'en-GB' };
const UNITS = {
  ru: { B: 'Б', KB: 'КБ', MB: 'МБ', GB: 'ГБ', perSecond: '/с' },
  en: { B: 'B', KB: 'KB', MB: 'MB', GB: 'GB', perSecond: '/s' },
};

/** The BCP 47 tag of an interface language. */
export const tagOf = (lang) => TAG[lang] ?? TAG.ru;

/** A number with the language's grouping and decimal sign (options as Intl.NumberFormat's). */
export const formatNumber = (n, lang, options = {}) => new Intl.NumberFormat(tagOf(lang), options).format(n);

/** A share 0…1 as a percentage: «75 %» (ru), «75%» (en). */
export const formatPercent = (share, lang, digits = 0) =>
  new Intl.NumberFormat(tagOf(lang), { style: 'percent', maximumFractionDigits: digits }).format(share);

/** A size in bytes: «48 КБ», «3,0 МБ», «1,2 ГБ»; one decimal from a megabyte up, at least 1 КБ. */
export function formatBytes(n, lang) {
  const u = UNITS[lang] ?? UNITS.ru;
  const nf1 = new Intl.NumberFormat(tagOf(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (n >= 1024 ** 3) return `${nf1.format(n / 1024 ** 3)} ${u.GB}`;
  if (n >= 1024 ** 2) return `${nf1.format(n / 1024 ** 2)} ${u.MB}`;
  return `${new Intl.NumberFormat(tagOf(lang)).format(Math.max(1, Math.round(n / 1024)))} ${u.KB}`;
}

/** A speed in bytes per second: «48 КБ/с», «1,5 МБ/с». */
export const formatSpeed = (bytesPerSecond, lang) => `${formatBytes(bytesPerSecond, lang)}${(UNITS[lang] ?? UNITS.ru).perSecond}`;
