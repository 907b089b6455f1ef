// The activity log (/audit) shows each entry's action and object by name in both languages:
// every action the back end writes (audit_write's second argument, the sign-off steps and
// the expert report steps) and every kind of object must have a label in the audit page's
// dictionaries, or the page would show a bare code such as `submission.create`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BACKEND = join(ROOT, 'backend', 'src');
const AUDIT = join(ROOT, 'frontend', 'src', 'features', 'audit');

function sources(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.c') ? [p] : [];
  });
}

/** Every action and object kind the back end writes to the audit log. */
function written() {
  const actions = new Set();
  const kinds = new Set();
  for (const file of sources(BACKEND)) {
    const src = readFileSync(file, 'utf8');
    // the call up to its end: the action's literals (one, or two of a ?:), then the kind
    for (const m of src.matchAll(/audit_write\(([^;]*)\);/g)) {
      for (const a of m[1].matchAll(/"(\w+\.\w+)"/g)) actions.add(a[1]);
      const kind = /"\w+\.\w+"\s*,\s*"(\w+)"/.exec(m[1]);
      if (kind) kinds.add(kind[1]);
    }
    // actions chosen before the call: the expert report's steps, the sign-off's steps
    for (const m of src.matchAll(/"(expert_report\.\w+|auth\.\w+)"/g)) actions.add(m[1]);
    const steps = /STEP_NAMES\[\]\s*=\s*\{([^}]*)\}/.exec(src);
    if (steps && /"signoff\.%s"/.test(src)) for (const s of steps[1].matchAll(/"(\w+)"/g)) actions.add(`signoff.${s[1]}`);
  }
  return { actions: [...actions].sort(), kinds: [...kinds].sort() };
}

const keysIn = (file) => new Set([...readFileSync(file, 'utf8').matchAll(/^\s*'([\w.-]+)':/gm)].map((m) => m[1]));

test('the back end writes actions of every part of the cycle (the scan finds them)', () => {
  const { actions, kinds } = written();
  for (const a of ['unit.create', 'submission.submit', 'evidence.upload', 'signoff.confirm', 'expert_report.finalise', 'auth.login'])
    assert.ok(actions.includes(a), `${a} not found among ${actions.join(', ')}`);
  assert.ok(kinds.includes('submission') && kinds.includes('org_unit'), kinds.join(', '));
});

for (const lang of ['ru', 'en']) {
  test(`every action and object of the audit log has a label in the ${lang} dictionary`, () => {
    const keys = keysIn(join(AUDIT, `locale-${lang}.js`));
    const { actions, kinds } = written();
    assert.deepEqual(actions.filter((a) => !keys.has(`action.${a}`)), [], 'actions without a label');
    assert.deepEqual(kinds.filter((k) => !keys.has(`entity.${k}`)), [], 'objects without a label');
  });
}
