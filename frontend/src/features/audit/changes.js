// "field: old → new" for the {"field": [old, new]} documents of the audit log and the
// import preview.
import { t, tEnum } from '../../shared/i18n.svelte.js';

export function fieldName(field) {
  const key = `field.${field}`;
  const s = t(key);
  return s === key ? field : s;
}

export function fieldValue(field, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (field === 'role') return tEnum('role', v);
  if (field === 'level') return tEnum('level', v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * [{field, label, text}] for a changes object; pairs as old → new (only the new value for
 * something just created), other values as they are.
 */
export function describeChanges(changes, { created = false } = {}) {
  if (!changes || typeof changes !== 'object') return [];
  return Object.entries(changes).map(([field, v]) => ({
    field,
    label: fieldName(field),
    text:
      Array.isArray(v) && v.length === 2
        ? created && (v[0] === null || v[0] === undefined)
          ? fieldValue(field, v[1])
          : `${fieldValue(field, v[0])} → ${fieldValue(field, v[1])}`
        : fieldValue(field, v),
  }));
}
