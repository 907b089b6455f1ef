// The org tree through the API (docs/api-org.md, "Units"): scope roots, descendant counts,
// children, breadcrumbs from the top of the caller's scope, search within the scope only,
// create (level derived from the parent), rename, deactivate, kindergarten code uniqueness,
// and the move of a subtree, after which every unit of the whole tree is checked: its
// ancestors through the API and its materialised path in the table.
// Every unit made here is a throwaway named "orgtree <run> …" and is deactivated at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { show, login, assertProblem } from './lib.mjs';
import { RUN, snapshot, demoSessions, demoPlaces, under, query, get, post, patch, ok, createUnit, deactivate } from './fixtures-org.mjs';

const T = {}; // login -> token
const ME = {}; // login -> user
const created = [];
let snap;
let region, M, K, S, Far, M2;
const code = (n) => `88${RUN}${String(n).padStart(2, '0')}`;
const name = (what) => `orgtree ${RUN} ${what}`;

before(async () => {
  const demo = await demoSessions();
  Object.assign(T, demo.T);
  Object.assign(ME, demo.ME);
  snap = await snapshot();
  ({ region, M, K, S, Far, M2 } = demoPlaces(snap, ME));
});

after(async () => {
  if (T.admin) await deactivate(T.admin, { units: created }, await snapshot());
});

// ---------------------------------------------------------------------------------------
// Helpers

/** Runs fn over items with at most n in flight; returns the results in order. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/**
 * The whole tree visible to `token`, walked through GET /units and GET /units/{id}/children:
 * Map id -> { doc (as listed), parent (the id it was listed under, null for a root) }.
 */
async function walk(token) {
  const roots = ok(await get('/units', token), 200, 'GET /units').items;
  const seen = new Map();
  let level = roots.map((doc) => ({ doc, parent: null }));
  while (level.length) {
    for (const n of level) {
      assert.ok(!seen.has(n.doc.id), `unit ${n.doc.id} listed twice in the walk`);
      seen.set(n.doc.id, n);
    }
    const inner = level.filter((n) => n.doc.level !== 'group');
    const lists = await pool(inner, 8, async (n) => ok(await get(`/units/${n.doc.id}/children`, token), 200, `children of ${n.doc.id}`).items);
    level = inner.flatMap((n, i) => lists[i].map((doc) => ({ doc, parent: n.doc.id })));
  }
  return seen;
}

/** Ids from the root of the walk down to the parent of `id`. */
function chain(tree, id) {
  const ids = [];
  for (let p = tree.get(id).parent; p !== null; p = tree.get(p).parent) ids.unshift(p);
  return ids;
}

/**
 * Checks the whole tree as the administrator: every unit's GET /units/{id} names the parent
 * it was listed under and has the walk's chain as ancestors; and in the table every path is
 * the parent's path + id + '/', every level the one below the parent's.
 */
async function checkWholeTree(what) {
  const tree = await walk(T.admin);
  const stored = await query('SELECT COUNT(*) FROM org_units');
  assert.equal(tree.size, Number(stored[0][0]), `${what}: the walk from the root reaches ${tree.size} units, the table has ${stored[0][0]}`);
  const bad = [];
  await pool([...tree.keys()], 8, async (id) => {
    const r = await get(`/units/${id}`, T.admin);
    if (r.status !== 200) return bad.push(`GET /units/${id}: ${show(r)}`);
    const want = chain(tree, id);
    const got = r.json.ancestors.map((a) => a.id);
    if (r.json.parent_id !== tree.get(id).parent) bad.push(`unit ${id}: parent_id ${r.json.parent_id}, listed under ${tree.get(id).parent}`);
    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`unit ${id}: ancestors ${got}, expected ${want}`);
  });
  const wrongPaths = await query(
    "SELECT c.id, c.path, p.path FROM org_units c LEFT JOIN org_units p ON p.id = c.parent_id " +
      "WHERE c.path <> IF(c.parent_id IS NULL, CONCAT('/', c.id, '/'), CONCAT(p.path, c.id, '/'))",
  );
  for (const [id, p, pp] of wrongPaths) bad.push(`org_units ${id}: path ${p}, parent's path ${pp}`);
  const wrongLevels = await query(
    "SELECT c.id, c.level, p.level FROM org_units c LEFT JOIN org_units p ON p.id = c.parent_id " +
      "WHERE IF(c.parent_id IS NULL, c.level <> 'region', " +
      "FIELD(c.level, 'region', 'municipality', 'kindergarten', 'group') <> " +
      "FIELD(p.level, 'region', 'municipality', 'kindergarten', 'group') + 1)",
  );
  for (const [id, l, pl] of wrongLevels) bad.push(`org_units ${id}: level ${l} below ${pl}`);
  assert.deepEqual(bad, [], `${what}: ${bad.length} inconsistencies:\n${bad.slice(0, 30).join('\n')}`);
  return tree;
}

const unitDoc = async (id, token = T.admin) => ok(await get(`/units/${id}`, token), 200, `GET /units/${id}`);
const childIds = async (id, token = T.admin, q = '') =>
  ok(await get(`/units/${id}/children${q}`, token), 200, `children of ${id}`).items.map((u) => u.id);
const search = async (token, q, extra = '') =>
  ok(await get(`/units?q=${encodeURIComponent(q)}${extra}`, token), 200, `GET /units?q=${q}`).items;

/** A throwaway kindergarten in `parent` with `groups` groups (as the administrator). */
async function kindergarten(parent, what, groups, n) {
  const kg = await createUnit(T.admin, { parent_id: parent.id, name: name(what), code: code(n) }, created);
  const gs = [];
  for (let i = 1; i <= groups; i++) gs.push(await createUnit(T.admin, { parent_id: kg.id, name: name(`${what} группа ${i}`) }, created));
  return { kg, groups: gs };
}

// ---------------------------------------------------------------------------------------
// Reading

test('roots: GET /units lists the top of each caller\'s scope', async () => {
  const roots = async (l) => ok(await get('/units', T[l]), 200, `GET /units as ${l}`).items.map((u) => u.id).sort((a, b) => a - b);
  const allRoots = [...snap.units.values()].filter((u) => u.parent_id === null).map((u) => u.id);
  assert.deepEqual(await roots('admin'), allRoots.sort((a, b) => a - b), 'administrator: every region');
  assert.deepEqual(await roots('region'), [region.id]);
  assert.deepEqual(await roots('municipal'), [M.id]);
  assert.deepEqual(await roots('doo'), [K.id]);
  assert.deepEqual(await roots('teacher'), [K.id]);
  const assigned = snap.assignments.filter((a) => a.expert_id === ME.expert.id).map((a) => a.unit_id);
  assert.deepEqual(await roots('expert'), assigned.sort((a, b) => a - b), 'expert: the assigned kindergartens');
});

test('counts: every unit\'s counts are its active descendants per level (the whole tree, as admin)', async () => {
  const tree = await walk(T.admin);
  const want = new Map([...tree.keys()].map((id) => [id, { municipality: 0, kindergarten: 0, group: 0 }]));
  for (const [id, n] of tree) {
    if (!n.doc.active || !(n.doc.level in want.get(id))) continue;
    for (const a of chain(tree, id)) want.get(a)[n.doc.level]++;
  }
  const bad = [];
  for (const [id, n] of tree) {
    if (JSON.stringify(n.doc.counts) !== JSON.stringify(want.get(id))) {
      bad.push(`unit ${id} (${n.doc.level}): counts ${JSON.stringify(n.doc.counts)}, expected ${JSON.stringify(want.get(id))}`);
    }
  }
  assert.deepEqual(bad, [], bad.join('\n'));
  // the single document agrees with the list, and so does a coordinator's view
  for (const id of [region.id, M.id, K.id]) assert.deepEqual((await unitDoc(id)).counts, want.get(id), `GET /units/${id}`);
  assert.deepEqual((await unitDoc(M.id, T.municipal)).counts, want.get(M.id), 'counts seen by municipal');
  assert.ok(want.get(K.id).group > 0 && want.get(M.id).kindergarten > 1, 'the demo has groups and kindergartens');
});

test('children: the units below, by name, each with its parent_id; a group has none', async () => {
  for (const id of [region.id, M.id, K.id]) {
    const items = ok(await get(`/units/${id}/children`, T.admin), 200, 'children').items;
    assert.ok(items.length > 0);
    assert.ok(items.every((u) => u.parent_id === id), `children of ${id}`);
    const byName = (await query(`SELECT id FROM org_units WHERE parent_id = ${id} ORDER BY name`)).map(([x]) => Number(x));
    assert.deepEqual(items.map((u) => u.id), byName, `children of ${id} by name`);
  }
  const group = (await childIds(K.id))[0];
  assert.deepEqual(await childIds(group), []);
  // the same list for every caller who sees the unit
  assert.deepEqual(await childIds(K.id, T.teacher), await childIds(K.id));
});

test('breadcrumbs: ancestors run from the top of the caller\'s scope down to the parent', async () => {
  const group = (await childIds(K.id))[0];
  const crumbs = async (id, l) => {
    const d = await unitDoc(id, T[l]);
    for (const a of d.ancestors) {
      const u = snap.units.get(a.id);
      assert.deepEqual([a.name, a.level], [u.name, u.level], `ancestor ${a.id} of ${id} as ${l}`);
    }
    return d.ancestors.map((a) => a.id);
  };
  assert.deepEqual(await crumbs(group, 'admin'), [region.id, M.id, K.id]);
  assert.deepEqual(await crumbs(group, 'region'), [region.id, M.id, K.id]);
  assert.deepEqual(await crumbs(group, 'municipal'), [M.id, K.id]);
  assert.deepEqual(await crumbs(group, 'doo'), [K.id]);
  assert.deepEqual(await crumbs(group, 'teacher'), [K.id]);
  assert.deepEqual(await crumbs(K.id, 'municipal'), [M.id]);
  // the top of the scope has no breadcrumbs above it
  assert.deepEqual(await crumbs(M.id, 'municipal'), []);
  assert.deepEqual(await crumbs(K.id, 'doo'), []);
  assert.deepEqual(await crumbs(region.id, 'admin'), []);
  assert.deepEqual(await crumbs(Far.id, 'admin'), [region.id, M2.id]);
  // can_edit: managers below their own unit
  assert.equal((await unitDoc(group, T.doo)).can_edit, true);
  assert.equal((await unitDoc(K.id, T.doo)).can_edit, false);
  assert.equal((await unitDoc(K.id, T.municipal)).can_edit, true);
  assert.equal((await unitDoc(M.id, T.municipal)).can_edit, false);
  assert.equal((await unitDoc(group, T.teacher)).can_edit, false);
});

test('search: within the caller\'s scope only, by name, short name or code, case-insensitive', async () => {
  const has = (items, u) => items.some((x) => x.id === u.id);
  assert.ok(has(await search(T.admin, Far.name), Far), 'admin finds a kindergarten by name');
  assert.deepEqual(await search(T.municipal, Far.name), [], "municipal finds nothing of another municipality's kindergarten");
  assert.deepEqual(await search(T.municipal, Far.code), [], 'not by code either');
  assert.ok(has(await search(T.municipal, S.name), S), 'municipal finds a kindergarten of its own municipality');
  assert.ok(has(await search(T.municipal, K.code), K), 'by code');
  assert.ok(has(await search(T.municipal, K.name.toLocaleUpperCase('ru')), K), 'upper case');
  assert.ok(has(await search(T.municipal, K.name.toLocaleLowerCase('ru')), K), 'lower case');
  const shortName = (await unitDoc(S.id)).short_name;
  if (shortName) assert.ok(has(await search(T.municipal, shortName), S), 'by short name');
  assert.deepEqual(await search(T.doo, S.name), [], 'doo: not another kindergarten of the municipality');
  const group = snap.units.get((await childIds(K.id))[0]);
  assert.ok(has(await search(T.doo, group.name), group), "doo finds its kindergarten's group");
  assert.deepEqual(await search(T.teacher, M.name), [], 'teacher: not the municipality above');
  // every hit lies in the scope; level filters
  for (const u of await search(T.municipal, 'а', '&limit=100')) assert.ok(under(snap.units.get(u.id)?.path ?? '', M.path), `hit ${u.id} outside`);
  const kgs = ok(await get('/units?level=kindergarten&limit=100', T.municipal), 200, 'level').items;
  const inM = [...snap.units.values()].filter((u) => u.level === 'kindergarten' && under(u.path, M.path));
  assert.ok(kgs.every((u) => u.level === 'kindergarten' && inM.some((x) => x.id === u.id)), 'level=kindergarten: the kindergartens of the municipality');
  assert.ok(inM.filter((u) => u.active).every((u) => kgs.some((x) => x.id === u.id)), 'level=kindergarten: every active one');
  // LIKE wildcards are plain characters
  for (const u of await search(T.admin, '%')) assert.ok(`${u.name}${u.short_name}${u.code}`.includes('%'), `"%" matched ${u.name}`);
  for (const u of await search(T.admin, '_')) assert.ok(`${u.name}${u.short_name}${u.code}`.includes('_'), `"_" matched ${u.name}`);
});

test('search: limit (default 50, at most 100)', async () => {
  assert.equal(ok(await get('/units?level=group&limit=1', T.admin), 200, 'limit=1').items.length, 1);
  // (whether inactive units are found is not said: count both ways)
  const all = [...snap.units.values()].filter((u) => u.level === 'group');
  const active = all.filter((u) => u.active);
  for (const [qs, limit] of [['', 50], ['&limit=100', 100]]) {
    const n = ok(await get(`/units?level=group${qs}`, T.admin), 200, `limit ${limit}`).items.length;
    assert.ok(n >= Math.min(active.length, limit) && n <= Math.min(all.length, limit), `level=group${qs}: ${n} items`);
  }
  assertProblem(await get('/units?q=a&limit=101', T.admin), [400, 422]);
  assertProblem(await get('/units?q=a&limit=0', T.admin), [400, 422]);
  assertProblem(await get('/units?level=planet', T.admin), [400, 422]);
});

// ---------------------------------------------------------------------------------------
// Writing

test('create: the level is the one below the parent\'s; the parent\'s counts grow', async () => {
  const before = await unitDoc(M.id);
  const kg = await createUnit(
    T.municipal,
    { parent_id: M.id, name: name('сад'), short_name: name('сад кратко'), code: code(1), address: 'ул. Тестовая, 1' },
    created,
  );
  assert.deepEqual(
    [kg.level, kg.parent_id, kg.name, kg.short_name, kg.code, kg.address, kg.active],
    ['kindergarten', M.id, name('сад'), name('сад кратко'), code(1), 'ул. Тестовая, 1', true],
  );
  assert.deepEqual(kg.counts, { municipality: 0, kindergarten: 0, group: 0 });
  const g = await createUnit(T.doo, { parent_id: K.id, name: name('группа doo') }, created);
  assert.deepEqual([g.level, g.parent_id], ['group', K.id]);
  const g2 = await createUnit(T.municipal, { parent_id: kg.id, name: name('группа') }, created);
  assert.equal(g2.level, 'group');
  const after = await unitDoc(M.id);
  assert.equal(after.counts.kindergarten, before.counts.kindergarten + 1);
  assert.equal(after.counts.group, before.counts.group + 2);
  assert.deepEqual((await unitDoc(kg.id)).counts, { municipality: 0, kindergarten: 0, group: 1 });
  // the new unit is found and listed, with breadcrumbs
  assert.ok((await childIds(M.id)).includes(kg.id));
  assert.deepEqual((await unitDoc(g2.id, T.municipal)).ancestors.map((a) => a.id), [M.id, kg.id]);
  assert.ok((await search(T.municipal, code(1))).some((u) => u.id === kg.id));
  // a municipality below the region (region coordinator)
  const m = await createUnit(T.region, { parent_id: region.id, name: name('муниципалитет') }, created);
  assert.deepEqual([m.level, m.parent_id], ['municipality', region.id]);
  // no name
  assertProblem(await post('/units', { parent_id: K.id }, T.admin), [400, 422]);
  assertProblem(await post('/units', { parent_id: K.id, name: '' }, T.admin), [400, 422]);
});

test('kindergarten codes are unique among kindergartens (409); other levels may repeat them', async () => {
  const taken = await post('/units', { parent_id: M.id, name: name('дубль'), code: K.code }, T.municipal);
  if (taken.status === 201) created.push(taken.json.id);
  assertProblem(taken, 409);
  const elsewhere = await post('/units', { parent_id: M2.id, name: name('дубль 2'), code: K.code }, T.admin);
  if (elsewhere.status === 201) created.push(elsewhere.json.id);
  assertProblem(elsewhere, 409);
  const kg = await createUnit(T.municipal, { parent_id: M.id, name: name('сад 2'), code: code(2) }, created);
  assertProblem(await patch(`/units/${kg.id}`, { code: S.code }, T.municipal), 409);
  assert.equal((await unitDoc(kg.id)).code, code(2), 'the refused code is not stored');
  ok(await patch(`/units/${kg.id}`, { code: code(3) }, T.municipal), 200, 'a free code');
  const group = await createUnit(T.admin, { parent_id: kg.id, name: name('группа с кодом'), code: K.code }, created);
  assert.equal(group.code, K.code);
});

test('rename: PATCH name; the new name is listed and found', async () => {
  const kg = await createUnit(T.municipal, { parent_id: M.id, name: name('до'), code: code(4) }, created);
  const r = ok(await patch(`/units/${kg.id}`, { name: name('после') }, T.municipal), 200, 'rename');
  assert.deepEqual([r.name, r.code, r.level, r.parent_id], [name('после'), code(4), 'kindergarten', M.id]);
  assert.equal((await unitDoc(kg.id)).name, name('после'));
  const listed = ok(await get(`/units/${M.id}/children`, T.admin), 200, 'children').items.find((u) => u.id === kg.id);
  assert.equal(listed.name, name('после'));
  assert.ok((await search(T.municipal, name('после'))).some((u) => u.id === kg.id));
  assert.deepEqual(await search(T.municipal, name('до')), []);
  ok(await patch(`/units/${kg.id}`, { short_name: name('кр'), address: 'ул. Новая, 2' }, T.municipal), 200, 'other fields');
  const d = await unitDoc(kg.id);
  assert.deepEqual([d.name, d.short_name, d.address], [name('после'), name('кр'), 'ул. Новая, 2'], 'fields not sent stay');
});

test('deactivate: hidden from children?active=1 and from counts, still readable; reactivate', async () => {
  const kg = await createUnit(T.municipal, { parent_id: M.id, name: name('закрываемый'), code: code(5) }, created);
  const g = await createUnit(T.municipal, { parent_id: kg.id, name: name('закрываемая группа') }, created);
  const before = await unitDoc(M.id);
  const regionBefore = (await unitDoc(region.id)).counts;
  const off = ok(await patch(`/units/${g.id}`, { active: false }, T.municipal), 200, 'deactivate');
  assert.equal(off.active, false);
  assert.ok(!(await childIds(kg.id, T.admin, '?active=1')).includes(g.id), 'hidden from ?active=1');
  const all = ok(await get(`/units/${kg.id}/children`, T.admin), 200, 'children').items;
  assert.equal(all.find((u) => u.id === g.id)?.active, false, 'listed without the filter, as inactive');
  assert.equal((await unitDoc(g.id)).active, false);
  assert.equal((await unitDoc(kg.id)).counts.group, 0);
  assert.equal((await unitDoc(M.id)).counts.group, before.counts.group - 1);
  assert.equal((await unitDoc(region.id)).counts.group, regionBefore.group - 1);
  // ?active=1 keeps the active ones
  assert.ok((await childIds(M.id, T.admin, '?active=1')).includes(kg.id));
  ok(await patch(`/units/${g.id}`, { active: true }, T.municipal), 200, 'reactivate');
  assert.ok((await childIds(kg.id, T.admin, '?active=1')).includes(g.id));
  assert.equal((await unitDoc(M.id)).counts.group, before.counts.group);
  assertProblem(await patch(`/units/${g.id}`, { active: 'no' }, T.municipal), [400, 422]);
});

test('move: a kindergarten with its groups to another municipality and back; every path of the tree stays right', async () => {
  const { kg, groups } = await kindergarten(M, 'переезжающий', 3, 10);
  const other = await kindergarten(M, 'соседний', 0, 11);
  const countsM = (await unitDoc(M.id)).counts;
  const countsM2 = (await unitDoc(M2.id)).counts;

  // refused: a parent outside the mover's scope; no parent
  assertProblem(await post(`/units/${kg.id}/move`, { parent_id: M2.id }, T.municipal), 404);
  assertProblem(await post(`/units/${kg.id}/move`, {}, T.region), [400, 422]);

  const moved = ok(await post(`/units/${kg.id}/move`, { parent_id: M2.id }, T.region), 200, 'move to another municipality');
  assert.equal(moved.parent_id, M2.id);
  assert.deepEqual(moved.ancestors.map((a) => a.id), [region.id, M2.id]);
  for (const g of groups) {
    assert.deepEqual((await unitDoc(g.id)).ancestors.map((a) => a.id), [region.id, M2.id, kg.id], `group ${g.id}`);
  }
  assert.deepEqual((await unitDoc(M.id)).counts, { ...countsM, kindergarten: countsM.kindergarten - 1, group: countsM.group - 3 });
  assert.deepEqual((await unitDoc(M2.id)).counts, { ...countsM2, kindergarten: countsM2.kindergarten + 1, group: countsM2.group + 3 });
  // the old municipality's coordinator lost it, the new one's tree has it
  assertProblem(await get(`/units/${kg.id}`, T.municipal), 404);
  assertProblem(await get(`/units/${groups[0].id}`, T.municipal), 404);
  assert.deepEqual(await search(T.municipal, name('переезжающий')), []);
  assert.ok((await childIds(M2.id)).includes(kg.id) && !(await childIds(M.id)).includes(kg.id));

  await checkWholeTree('after the move');

  ok(await post(`/units/${kg.id}/move`, { parent_id: M.id }, T.admin), 200, 'move back');
  assert.deepEqual((await unitDoc(kg.id, T.municipal)).ancestors.map((a) => a.id), [M.id]);
  assert.deepEqual((await unitDoc(M.id)).counts, countsM);
  assert.deepEqual((await unitDoc(M2.id)).counts, countsM2);

  // a group to another kindergarten of the same municipality, by its coordinator
  const g = ok(await post(`/units/${groups[0].id}/move`, { parent_id: other.kg.id }, T.municipal), 200, 'move a group');
  assert.deepEqual(g.ancestors.map((a) => a.id), [M.id, other.kg.id]);
  assert.deepEqual((await unitDoc(other.kg.id)).counts.group, 1);
  ok(await post(`/units/${groups[0].id}/move`, { parent_id: kg.id }, T.municipal), 200, 'the group back');
  // a kindergarten coordinator cannot take a group of theirs to another kindergarten
  const mine = await createUnit(T.doo, { parent_id: K.id, name: name('группа doo для переноса') }, created);
  assertProblem(await post(`/units/${mine.id}/move`, { parent_id: S.id }, T.doo), 404);
  assert.equal((await unitDoc(mine.id)).parent_id, K.id);

  await checkWholeTree('after moving back');
});

test('move: a parent of the wrong level, or inside the moved subtree, is a validation error', async () => {
  const { kg, groups } = await kindergarten(M, 'непереносимый', 1, 12);
  // another kindergarten (the wrong level)
  assertProblem(await post(`/units/${kg.id}/move`, { parent_id: K.id }, T.region), [400, 422]);
  // its own group (below itself, and the wrong level)
  assertProblem(await post(`/units/${kg.id}/move`, { parent_id: groups[0].id }, T.region), [400, 422]);
  // a municipality under a municipality
  assertProblem(await post(`/units/${M.id}/move`, { parent_id: M2.id }, T.admin), [400, 422]);
  assert.equal((await unitDoc(kg.id)).parent_id, M.id);
  // and a unit below a group cannot be created at all
  const deeper = await post('/units', { parent_id: groups[0].id, name: name('подгруппа') }, T.admin);
  if (deeper.status === 201) created.push(deeper.json.id);
  assertProblem(deeper, [400, 422]);
});
