// The breadcrumbs' trail of a unit's pages: «Организации», the unit's ancestors and (for a
// page under the unit: its profile, plan, survey links) the unit itself.
import { t } from '../../shared/i18n.svelte.js';

export function unitTrail(unit, { self = true } = {}) {
  const trail = [{ href: '/units', name: t('units.title') }];
  for (const a of unit?.ancestors ?? []) trail.push({ href: `/units/${a.id}`, name: a.name });
  if (self && unit) trail.push({ href: `/units/${unit.id}`, name: unit.name });
  return trail;
}
