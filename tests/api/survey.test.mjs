// The parent questionnaire (docs/api-survey.md): survey links made by the coordinators for
// a campaign (one per kindergarten, optionally one per group), the public questionnaire
// behind a link's token without login, anonymous answers checked as on submit, one answer
// per browser (cookie), the cap per link, closing by hand and with the campaign, response
// rates over the children enrolled per group, the QR code (decoded with jsQR) and who may
// do what. Fixtures are made through the API with names unique to the run; only closing a
// campaign needs SQL (no API changes a campaign's dates). The anonymity checks read the
// tables themselves. The nginx rate limit is in zz-survey-ratelimit.test.mjs (it exhausts
// the limit for this address).
// Every response is checked against backend/openapi.yaml; mismatches are reported last.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import jsQR from 'jsqr';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { request, requestRetry429, login, show, getSetCookie, VAR, runTag, assertProblem, rebuildRollups } from './lib.mjs';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay, itemsOf } from './fixtures-forms.mjs';

const RUN = runTag('s');
const LOGINS = ['admin', 'region', 'municipal', 'municipal2', 'doo', 'doo2', 'teacher', 'expert'];

const C = new Conformance(loadSpec()); // openapi conformance recorder
const T = {}; // login -> { token, user }
const { api, pub } = apiClient({ tokens: T, conformance: C });
let PQ; // the parent questionnaire's meta and definition
let OTHER; // a published instrument that is not for parents
let K; // the doo coordinator's kindergarten
let GROUPS; // its active groups
const CAMP = {}; // name -> campaign
let LINKS; // the kindergarten's links in campaign A: { kg, groups: Map group id -> link }

// ---------------------------------------------------------------------------------------
// Calls

/** Opens the questionnaire as a new browser: { doc, cookie ("vsok_survey=…"), raw }. */
async function openAsNewBrowser(token) {
  const r = await pub('GET', '/public/surveys/{token}', token);
  const doc = expect(r, 200, `GET the questionnaire ${token}`);
  const c = getSetCookie(r.headers, 'vsok_survey');
  assert.ok(c, `no vsok_survey cookie: ${show(r)}`);
  return { doc, cookie: `${c.name}=${c.value}`, raw: c };
}

/** A complete valid answer: every required item, values varied by `seed`. */
function validAnswers(seed = 0) {
  const out = {};
  itemsOf(PQ.def).forEach(({ item }, i) => {
    if (item.type === 'likert5') out[item.code] = ((i + seed) % 5) + 1;
    else if (item.type === 'yes_no_unsure') out[item.code] = ['yes', 'no', 'unsure'][seed % 3];
    else if (item.type === 'single') out[item.code] = item.options[seed % item.options.length].code;
    else if (item.type === 'longtext') out[item.code] = `Комментарий ${RUN} ${seed}`;
  });
  return out;
}

const answer = (token, cookie, answers) => pub('POST', '/public/surveys/{token}/responses', token, { cookie, json: { answers } });

async function campaign(name, opens, closes) {
  const body = {
    title: `Анкетирование ${RUN} ${name}`,
    year: Number(isoDay(0).slice(0, 4)),
    opens_on: isoDay(opens),
    closes_on: isoDay(closes),
    instrument_ids: [PQ.id],
  };
  CAMP[name] = expect(await api('region', 'POST', '/campaigns', { json: body }), 201, `campaign ${name}`);
  return CAMP[name];
}

const makeLinks = (who, unitId, json) => api(who, 'POST', '/units/{id}/survey-links', { params: { id: unitId }, json });
const listLinks = (who, unitId, campaignId) =>
  api(who, 'GET', '/units/{id}/survey-links', { params: { id: unitId }, q: campaignId ? { campaign_id: campaignId } : undefined });
const patchLink = (who, unitId, linkId, json) =>
  api(who, 'PATCH', '/units/{id}/survey-links/{link_id}', { params: { id: unitId, link_id: linkId }, json });

/** The kindergarten's own link and its group links in a list answer. */
function linksOf(list, kgId) {
  const mine = list.items.filter((l) => l.kindergarten.id === kgId);
  return { kg: mine.find((l) => !l.group), groups: new Map(mine.filter((l) => l.group).map((l) => [l.group.id, l])) };
}

before(async () => {
  for (const l of LOGINS) T[l] = await login(l);
  const all = expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items;
  const meta = all.find((i) => i.code === 'PQ');
  OTHER = all.find((i) => !i.respondents.includes('parent'));
  assert.ok(meta, 'the parent questionnaire PQ is published');
  const full = expect(await api('region', 'GET', '/instruments/{id}', { params: { id: meta.id } }), 200, 'PQ');
  PQ = { id: meta.id, def: full.definition };
  K = T.doo.user.org_unit;
  GROUPS = expect(await api('doo', 'GET', '/units/{id}/children', { params: { id: K.id }, q: { active: 1 } }), 200, 'groups').items;
  assert.ok(GROUPS.length >= 2, 'the demo kindergarten has groups');
  await campaign('A', -1, 30);
});

// ---------------------------------------------------------------------------------------
// Links

test('links: one per kindergarten and one per group, a repeat makes nothing new', async () => {
  const first = expect(await makeLinks('doo', K.id, { campaign_id: CAMP.A.id, groups: true }), 201, 'make links');
  LINKS = linksOf(first, K.id);
  assert.ok(LINKS.kg, 'the kindergarten link');
  assert.deepEqual([...LINKS.groups.keys()].sort((a, b) => a - b), GROUPS.map((g) => g.id).sort((a, b) => a - b), 'one link per active group');
  assert.equal(first.items.length, GROUPS.length + 1, 'nothing but the kindergarten and its groups');
  const tokens = first.items.map((l) => l.token);
  assert.equal(new Set(tokens).size, tokens.length, 'every token is different');
  for (const l of first.items) {
    assert.match(l.token, /^[0-9a-hjkmnp-tv-z]{26}$/, '128 random bits in Crockford base32');
    assert.equal(l.path, `/s/${l.token}`);
    assert.ok(l.url.endsWith(l.path) && /^https?:\/\//.test(l.url), `url ${l.url}`);
    assert.deepEqual([l.campaign.id, l.instrument.id, l.kindergarten.id], [CAMP.A.id, PQ.id, K.id]);
    assert.deepEqual([l.responses, l.cap, l.state, l.open, l.closed_at], [0, null, 'open', true, null]);
  }
  const again = expect(await makeLinks('doo', K.id, { campaign_id: CAMP.A.id, groups: true }), 200, 'make them again');
  assert.deepEqual(again.items.map((l) => [l.id, l.token]).sort(), first.items.map((l) => [l.id, l.token]).sort(), 'the same links');
  const listed = expect(await listLinks('doo', K.id, CAMP.A.id), 200, 'list');
  assert.deepEqual(listed.items.map((l) => l.id).sort(), first.items.map((l) => l.id).sort());
});

test('links: a municipal coordinator makes them for every kindergarten of the municipality, with a cap', async () => {
  const b = await campaign('B', -1, 30);
  const M = T.municipal.user.org_unit;
  const kgs = (await query(`SELECT id FROM org_units WHERE level = 'kindergarten' AND active = 1 AND parent_id = ${Number(M.id)}`)).map(
    ([id]) => Number(id),
  );
  const made = expect(await makeLinks('municipal', M.id, { campaign_id: b.id, cap: 40 }), 201, 'municipal links');
  assert.deepEqual(made.items.map((l) => l.kindergarten.id).sort((x, y) => x - y), kgs.sort((x, y) => x - y), 'one per kindergarten, no groups');
  assert.ok(made.items.every((l) => l.cap === 40 && l.group === null));
  assert.equal(made.kindergartens.length, kgs.length, 'one summary per kindergarten');
  // the kindergarten coordinator sees only its own kindergarten's
  const own = expect(await listLinks('doo', K.id, b.id), 200, 'doo lists');
  assert.deepEqual(own.items.map((l) => l.kindergarten.id), [K.id]);
});

test('links: bad requests are 422 with the field, other roles 403, units outside the scope 404', async () => {
  const noPQ = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Без анкеты ${RUN}`, year: 2026, opens_on: isoDay(-1), closes_on: isoDay(5), instrument_ids: [OTHER.id] },
    }),
    201,
    'a campaign without PQ',
  );
  const field = (r) => (r.json?.errors || []).map((e) => e.field);
  const cases = [
    [{}, 'campaign_id'],
    [{ campaign_id: 'x' }, 'campaign_id'],
    [{ campaign_id: 987654321 }, 'campaign_id'],
    [{ campaign_id: noPQ.id }, 'instrument_id'],
    [{ campaign_id: CAMP.A.id, cap: 0 }, 'cap'],
    [{ campaign_id: CAMP.A.id, cap: 100001 }, 'cap'],
    [{ campaign_id: CAMP.A.id, groups: 'yes' }, 'groups'],
  ];
  for (const [json, f] of cases) {
    const r = await makeLinks('doo', K.id, json);
    expectProblem(r, 422, 'validation', `create ${JSON.stringify(json)}`);
    assert.ok(field(r).includes(f), `${JSON.stringify(json)}: errors ${JSON.stringify(r.json.errors)}`);
  }
  expectProblem(await makeLinks('doo', GROUPS[0].id, { campaign_id: CAMP.A.id }), 422, 'validation', 'a group as the unit');
  expectProblem(await makeLinks('teacher', K.id, { campaign_id: CAMP.A.id }), 403, null, 'a teacher');
  expectProblem(await listLinks('expert', K.id, CAMP.A.id), 403, null, 'an expert');
  const other = T.doo2.user.org_unit;
  expectProblem(await listLinks('doo', other.id, CAMP.A.id), 404, null, 'another kindergarten');
  // a link of this kindergarten is not reachable through another unit
  expectProblem(await patchLink('doo2', other.id, LINKS.kg.id, { closed: true }), 404, 'not-found', 'a link through the wrong unit');
  expectProblem(await patchLink('doo', K.id, 987654321, { closed: true }), 404, 'not-found', 'an unknown link');
  for (const json of [{}, { cap: 'x' }, { cap: -1 }, { closed: 1 }]) {
    expectProblem(await patchLink('doo', K.id, LINKS.kg.id, json), 422, 'validation', `patch ${JSON.stringify(json)}`);
  }
  expectProblem(await listLinks('doo', K.id, 'abc'), 422, 'validation', 'campaign_id=abc');
});

// ---------------------------------------------------------------------------------------
// The public questionnaire and its answers

test('public: the questionnaire without login; unknown tokens are 404', async () => {
  const { doc, raw } = await openAsNewBrowser(LINKS.kg.token);
  assert.equal(doc.kindergarten.name, K.name);
  assert.equal(doc.group, null);
  assert.equal(doc.answered, false);
  assert.equal(doc.closes_on, CAMP.A.closes_on);
  assert.deepEqual(
    itemsOf(doc.questionnaire).map(({ item }) => item.code),
    itemsOf(PQ.def).map(({ item }) => item.code),
    'the statements of the published questionnaire',
  );
  assert.equal(raw.attrs.httponly, true, `HttpOnly: ${raw.raw}`);
  assert.equal(raw.attrs.path, '/api/v1/public/surveys', raw.raw);
  assert.match(raw.value, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
  const g = [...LINKS.groups.values()][0];
  const gdoc = expect(await pub('GET', '/public/surveys/{token}', g.token), 200, 'group link');
  assert.equal(gdoc.group.name, g.group.name);
  // typed from paper: upper case, and i / l / o for 1 / 0, reach the same link
  const typed = LINKS.kg.token.toUpperCase().replace(/1/g, 'l').replace(/0/g, 'O');
  const same = expect(await pub('GET', '/public/surveys/{token}', typed), 200, `typed as ${typed}`);
  assert.equal(same.kindergarten.name, K.name);
  for (const t of ['0'.repeat(26), 'short', LINKS.kg.token.slice(0, 25) + 'u', LINKS.kg.token.slice(0, 25) + '!', `${LINKS.kg.token}x`]) {
    expectProblem(await pub('GET', '/public/surveys/{token}', encodeURIComponent(t)), 404, 'survey-not-found', `token ${t}`);
    expectProblem(await answer(encodeURIComponent(t), undefined, validAnswers()), 404, 'survey-not-found', `answer to ${t}`);
  }
});

test('answers: accepted once per browser; the same cookie again is 409, a new cookie is accepted, none is 400', async () => {
  const link = [...LINKS.groups.values()][0];
  const a = await openAsNewBrowser(link.token);
  expect(await answer(link.token, a.cookie, validAnswers(1)), 201, 'first answer');
  expectProblem(await answer(link.token, a.cookie, validAnswers(2)), 409, 'already-answered', 'the same browser again');
  const again = expect(await pub('GET', '/public/surveys/{token}', link.token, { cookie: a.cookie }), 200, 'reopen');
  assert.equal(again.answered, true, 'the page knows this browser answered');
  assert.equal(getSetCookie(await pub('GET', '/public/surveys/{token}', link.token, { cookie: a.cookie }).then((r) => r.headers), 'vsok_survey'), undefined, 'no new cookie for a known browser');
  const b = await openAsNewBrowser(link.token);
  expect(await answer(link.token, b.cookie, validAnswers(2)), 201, 'another browser');
  expectProblem(await answer(link.token, undefined, validAnswers(3)), 400, 'cookie-required', 'no cookie');
  expectProblem(await answer(link.token, 'vsok_survey=not-a-random-id', validAnswers(3)), 400, 'cookie-required', 'a malformed cookie');
  // the same browser may answer through another link (another group)
  const other = [...LINKS.groups.values()][1];
  expect(await answer(other.token, a.cookie, validAnswers(4)), 201, 'the same browser through another link');
  const list = expect(await listLinks('doo', K.id, CAMP.A.id), 200, 'list');
  const after = linksOf(list, K.id);
  assert.equal(after.groups.get(link.group.id).responses, 2);
  assert.equal(after.groups.get(other.group.id).responses, 1);
  const [[n]] = await query(`SELECT COUNT(*) FROM survey_responses WHERE link_id = ${Number(link.id)}`);
  assert.equal(Number(n), 2, 'two rows stored for the link');
});

test('answers: bad answers are 422 with one error per item, nothing stored', async () => {
  const link = LINKS.kg;
  const br = await openAsNewBrowser(link.token);
  const codes = itemsOf(PQ.def).map(({ item }) => item);
  const likert = codes.find((i) => i.type === 'likert5').code;
  const required = codes.filter((i) => i.required).map((i) => i.code);
  const cases = [
    [{ ...validAnswers(), [likert]: 6 }, [likert]],
    [{ ...validAnswers(), 'PQ.9.9.9': 1 }, ['PQ.9.9.9']],
    [{}, required],
    [(({ [required[0]]: _, ...rest }) => rest)(validAnswers()), [required[0]]],
  ];
  for (const [answers, fields] of cases) {
    const r = await answer(link.token, br.cookie, answers);
    expectProblem(r, 422, 'invalid-answers', `answers ${JSON.stringify(answers).slice(0, 80)}`);
    assert.deepEqual(r.json.errors.map((e) => e.field).sort(), [...fields].sort(), show(r));
  }
  for (const body of [{ answers: [] }, { answers: 'x' }, {}]) {
    const r = await pub('POST', '/public/surveys/{token}/responses', link.token, { cookie: br.cookie, json: body });
    expectProblem(r, 422, 'validation', `body ${JSON.stringify(body)}`);
  }
  const [[n]] = await query(`SELECT COUNT(*) FROM survey_responses WHERE link_id = ${Number(link.id)}`);
  assert.equal(Number(n), 0, 'nothing stored');
  // after all that the browser may still answer
  expect(await answer(link.token, br.cookie, validAnswers(5)), 201, 'a valid answer at last');
});

test('anonymity: the answer row holds the answers, the place and the day only; the browser only as a salted hash', async () => {
  const cols = (t) =>
    query(`SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${t}' ORDER BY ORDINAL_POSITION`).then(
      (rows) => rows.map(([c]) => c),
    );
  const responseCols = await cols('survey_responses');
  assert.deepEqual(
    responseCols,
    ['id', 'campaign_id', 'instrument_id', 'kindergarten_id', 'group_id', 'link_id', 'answers', 'answered_on'],
    'no column for a person, an address, an agent, a cookie or a time of day',
  );
  for (const c of responseCols) assert.doesNotMatch(c, /ip|addr|agent|cookie|browser|user|session|_at$|time/i, c);
  assert.deepEqual(await cols('survey_link_browsers'), ['link_id', 'browser_hash']);
  const [[type]] = await query(
    "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'survey_responses' AND COLUMN_NAME = 'answered_on'",
  );
  assert.equal(type, 'date', 'the day only');

  const link = [...LINKS.groups.values()][2] ?? [...LINKS.groups.values()][0];
  const br = await openAsNewBrowser(link.token);
  const sent = validAnswers(7);
  const ua = `AgentOfParent-${RUN}`;
  const r = await requestRetry429(`${API}/public/surveys/${link.token}/responses`, {
    method: 'POST',
    cookie: br.cookie,
    json: { answers: sent },
    headers: { 'User-Agent': ua, 'X-Forwarded-For': '203.0.113.77' },
  });
  expect(r, 201, 'answer with a telling agent');
  const rows = await query(
    `SELECT id, campaign_id, instrument_id, kindergarten_id, group_id, link_id, answers, answered_on = CURRENT_DATE FROM survey_responses WHERE link_id = ${Number(link.id)} ORDER BY id DESC LIMIT 1`,
  );
  assert.equal(rows.length, 1);
  const [id, camp, ins, kg, group, linkId, stored, today] = rows[0];
  assert.deepEqual([camp, ins, kg, group, linkId].map(Number), [CAMP.A.id, PQ.id, K.id, link.group.id, link.id]);
  assert.equal(today, '1', 'answered today, stored as a date');
  assert.deepEqual(JSON.parse(stored), sent, 'the stored contents are exactly the answers');
  const value = br.raw.value;
  const whole = rows[0].join('\t');
  for (const needle of [value, ua, '203.0.113.77', '127.0.0.1']) assert.ok(!whole.includes(needle), `the row holds ${needle}`);
  // the browser's mark: SHA-256 of link id and cookie, never the cookie itself
  const hash = createHash('sha256').update(`${link.id}:${value}`).digest('hex');
  const marks = (await query(`SELECT HEX(browser_hash) FROM survey_link_browsers WHERE link_id = ${Number(link.id)}`)).map(([h]) => h.toLowerCase());
  assert.ok(marks.includes(hash), 'the mark is the salted hash of the cookie');
  const [[raw]] = await query(`SELECT COUNT(*) FROM survey_link_browsers WHERE browser_hash = UNHEX(SHA2('${value}', 256))`);
  assert.equal(Number(raw), 0, 'not the unsalted hash of the cookie either');
  assert.ok(Number(id) > 0);
  // nor does nginx's access log keep the address and agent next to the time of the answer
  const log = readFileSync(path.join(VAR, 'log', 'nginx-access.log'), 'utf8');
  assert.ok(log.length > 0, 'the access log is written for the rest of the site');
  const leaks = log.split('\n').filter((l) => l.includes(link.token) || l.includes(ua));
  assert.deepEqual(leaks.slice(0, 3), [], 'access log lines of the public questionnaire');
});

// ---------------------------------------------------------------------------------------
// Limits and closing

test('the cap holds: answers over it are refused, also when sent at once', async () => {
  const [g1, g2] = [...LINKS.groups.values()].slice(-2);
  const set = expect(await patchLink('doo', K.id, g1.id, { cap: g1.responses + 2 }), 200, 'set a cap');
  assert.equal(set.cap, g1.responses + 2);
  for (let i = 0; i < 2; i++) {
    const b = await openAsNewBrowser(g1.token);
    expect(await answer(g1.token, b.cookie, validAnswers(i)), 201, `answer ${i + 1} under the cap`);
  }
  const late = await openAsNewBrowser(g2.token); // a cookie of this client, from another link
  expectProblem(await answer(g1.token, late.cookie, validAnswers(3)), 410, 'survey-full', 'over the cap');
  expectProblem(await pub('GET', '/public/surveys/{token}', g1.token), 410, 'survey-full', 'the page of a full link');
  const full = linksOf(expect(await listLinks('doo', K.id, CAMP.A.id), 200, 'list'), K.id).groups.get(g1.group.id);
  assert.deepEqual([full.responses, full.state, full.open], [set.cap, 'full', false]);

  // concurrent answers: exactly the cap's worth get in
  const base = g2.responses;
  expect(await patchLink('doo', K.id, g2.id, { cap: base + 3 }), 200, 'cap on the second link');
  const browsers = [];
  for (let i = 0; i < 8; i++) browsers.push(await openAsNewBrowser(g2.token));
  const rs = await Promise.all(browsers.map((b, i) => answer(g2.token, b.cookie, validAnswers(i))));
  const statuses = rs.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 201, 201, 410, 410, 410, 410, 410], `statuses ${statuses}`);
  const [[n]] = await query(`SELECT COUNT(*) FROM survey_responses WHERE link_id = ${Number(g2.id)}`);
  assert.equal(Number(n), base + 3, 'rows stored = the cap');
  // lifting the cap opens it again
  const lifted = expect(await patchLink('doo', K.id, g2.id, { cap: null }), 200, 'no cap');
  assert.deepEqual([lifted.cap, lifted.open], [null, true]);
});

test('a closed link refuses; reopened it answers again; the campaign’s end closes its links', async () => {
  const link = LINKS.kg;
  const br = await openAsNewBrowser(link.token);
  const closed = expect(await patchLink('doo', K.id, link.id, { closed: true }), 200, 'close');
  assert.deepEqual([closed.state, closed.open], ['closed', false]);
  assert.match(closed.closed_at, /^\d{4}-\d\d-\d\dT/);
  const p = expectProblem(await pub('GET', '/public/surveys/{token}', link.token), 410, 'survey-closed', 'GET of a closed link');
  assert.match(p.detail, /[а-я]/i, 'a Russian message');
  expectProblem(await answer(link.token, br.cookie, validAnswers(1)), 410, 'survey-closed', 'answer to a closed link');
  const reopened = expect(await patchLink('doo', K.id, link.id, { closed: false }), 200, 'reopen');
  assert.deepEqual([reopened.state, reopened.open, reopened.closed_at], ['open', true, null]);
  expect(await answer(link.token, br.cookie, validAnswers(1)), 201, 'answer after reopening');

  // a campaign that ended, and one that has not begun
  const ended = await campaign('ended', -1, 10);
  const future = await campaign('future', 2, 10);
  const e = linksOf(expect(await makeLinks('doo', K.id, { campaign_id: ended.id }), 201, 'links of the ended one'), K.id).kg;
  const f = linksOf(expect(await makeLinks('doo', K.id, { campaign_id: future.id }), 201, 'links of the future one'), K.id).kg;
  const eb = await openAsNewBrowser(e.token);
  await query(`UPDATE campaigns SET opens_on = CURRENT_DATE - INTERVAL 10 DAY, closes_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = ${Number(ended.id)}`);
  expectProblem(await pub('GET', '/public/surveys/{token}', e.token), 410, 'survey-closed', 'the ended campaign');
  expectProblem(await answer(e.token, eb.cookie, validAnswers()), 410, 'survey-closed', 'answer in the ended campaign');
  expectProblem(await pub('GET', '/public/surveys/{token}', f.token), 410, 'survey-closed', 'the campaign not begun');
  const states = new Map(
    expect(await listLinks('doo', K.id), 200, 'all links').items.filter((l) => !l.group).map((l) => [l.campaign.id, l.state]),
  );
  assert.equal(states.get(ended.id), 'ended');
  assert.equal(states.get(future.id), 'not_started');
});

test('with stages, the parent questionnaire’s stage decides: its close closes the links while the campaign runs; a reopening for the kindergarten opens its link', async () => {
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: Number(isoDay(0).slice(0, 4)) } }), 200, 'template');
  const pick = (kind, opens, closes) => {
    const st = tpl.stages.find((x) => x.kind === kind);
    assert.ok(st, `the template has ${kind}`);
    return { kind, instrument_id: st.instrument ? st.instrument.id : null, respondents: st.respondents, target_level: st.target_level, opens_on: isoDay(opens), closes_on: isoDay(closes) };
  };
  const body = {
    title: `Анкетирование ${RUN} по этапам`,
    year: Number(isoDay(0).slice(0, 4)),
    stages: [pick('kindergarten_self', -5, 20), pick('parent_survey', -5, -1)],
  };
  const c = expect(await api('region', 'POST', '/campaigns', { json: body }), 201, 'campaign with stages');
  const link = linksOf(expect(await makeLinks('doo', K.id, { campaign_id: c.id }), 201, 'links'), K.id).kg;
  assert.deepEqual([link.state, link.open, link.campaign.closes_on], ['ended', false, isoDay(-1)], 'the stage’s dates, not the campaign’s');
  expectProblem(await pub('GET', '/public/surveys/{token}', link.token), 410, 'survey-closed', 'the stage is over');

  const stage = c.stages.find((x) => x.kind === 'parent_survey');
  expect(
    await request(`${API}/campaigns/${c.id}/stages/${stage.id}/reopen`, {
      method: 'POST',
      token: T.municipal.token,
      json: { kindergarten_id: K.id, until: isoDay(2), reason: `Собрание родителей перенесли ${RUN}` },
    }),
    201,
    'reopen for the kindergarten',
  );
  const again = linksOf(expect(await listLinks('doo', K.id, c.id), 200, 'links after the reopening'), K.id).kg;
  assert.deepEqual([again.state, again.open], ['open', true]);
  const b2 = await openAsNewBrowser(link.token);
  expect(await answer(link.token, b2.cookie, validAnswers(3)), 201, 'an answer while reopened');
});

// ---------------------------------------------------------------------------------------
// Response rates

test('children enrolled: set per group (PATCH), refused on a kindergarten and for bad values', async () => {
  const [g1, g2] = GROUPS;
  const a = expect(await api('doo', 'PATCH', '/units/{id}', { params: { id: g1.id }, json: { children_enrolled: 20 } }), 200, 'set g1');
  assert.equal(a.children_enrolled, 20);
  expect(await api('doo', 'PATCH', '/units/{id}', { params: { id: g2.id }, json: { children_enrolled: 5 } }), 200, 'set g2');
  const got = expect(await api('doo', 'GET', '/units/{id}', { params: { id: g1.id } }), 200, 'read g1');
  assert.equal(got.children_enrolled, 20);
  assert.equal(got.name, g1.name, 'the other fields are kept');
  for (const v of [-1, 10001, 'двадцать', 2.5]) {
    const r = await api('doo', 'PATCH', '/units/{id}', { params: { id: g1.id }, json: { children_enrolled: v } });
    expectProblem(r, 422, 'validation', `children_enrolled ${v}`);
    assert.ok(r.json.errors.some((e) => e.field === 'children_enrolled'), show(r));
  }
  expectProblem(await api('municipal', 'PATCH', '/units/{id}', { params: { id: K.id }, json: { children_enrolled: 100 } }), 422, 'validation', 'on a kindergarten');
  expectProblem(await api('teacher', 'PATCH', '/units/{id}', { params: { id: g1.id }, json: { children_enrolled: 3 } }), 403, null, 'a teacher');
  const cleared = expect(await api('doo', 'PATCH', '/units/{id}', { params: { id: g2.id }, json: { children_enrolled: null } }), 200, 'clear g2');
  assert.equal(cleared.children_enrolled, null);
  expect(await api('doo', 'PATCH', '/units/{id}', { params: { id: g2.id }, json: { children_enrolled: 5 } }), 200, 'set g2 again');
});

test('response rate: answers over the children enrolled, per link and per kindergarten', async () => {
  const rows = await query(
    `SELECT id, children_enrolled FROM org_units WHERE parent_id = ${Number(K.id)} AND level = 'group' AND active = 1`,
  );
  const children = new Map(rows.map(([id, n]) => [Number(id), n === null ? null : Number(n)]));
  const entered = [...children.values()].filter((n) => n !== null);
  const kgChildren = entered.length ? entered.reduce((a, b) => a + b, 0) : null;
  const [[answers]] = await query(
    `SELECT COUNT(*) FROM survey_responses WHERE kindergarten_id = ${Number(K.id)} AND campaign_id = ${Number(CAMP.A.id)}`,
  );
  const list = expect(await listLinks('doo', K.id, CAMP.A.id), 200, 'list');
  const { kg, groups } = linksOf(list, K.id);
  const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
  for (const [gid, l] of groups) {
    const n = children.get(gid);
    assert.equal(l.children_enrolled, n, `children of group ${gid}`);
    if (n) close(l.response_rate, l.responses / n, `rate of group ${gid}`);
    else assert.equal(l.response_rate, null, `no rate without children (group ${gid})`);
  }
  assert.equal(kg.children_enrolled, kgChildren, 'the kindergarten link reaches every group');
  const summary = list.kindergartens.find((s) => s.id === K.id && s.campaign_id === CAMP.A.id);
  assert.ok(summary, 'a summary for the kindergarten');
  assert.equal(summary.responses, Number(answers), 'every answer of the kindergarten, through any link');
  assert.equal(summary.children_enrolled, kgChildren);
  close(summary.response_rate, Number(answers) / kgChildren, 'the kindergarten rate');
  assert.ok(Number(answers) > 0 && kgChildren > 0, 'the figures say something');
});

test('rollup: every stored answer reaches the parent dashboard of its kindergarten and municipality', async () => {
  const count = async (where) => Number((await query(`SELECT COUNT(*) FROM survey_responses WHERE ${where}`))[0][0]);
  const kgAnswers = await count(`kindergarten_id = ${Number(K.id)} AND campaign_id = ${Number(CAMP.A.id)}`);
  const dash = (who, unitId) =>
    api(who, 'GET', '/dashboards/units/{id}/parents', { params: { id: unitId }, q: { campaign: CAMP.A.id, instrument: PQ.id } });
  const mine = expect(await dash('doo', K.id), 200, 'the kindergarten’s parent dashboard');
  assert.equal(mine.total.responses, kgAnswers, 'the rollup counts every answer, in the transaction of its insert');
  const M = T.municipal.user.org_unit;
  const muni = expect(await dash('municipal', M.id), 200, 'the municipality’s parent dashboard');
  const kids = (await query(`SELECT id FROM org_units WHERE parent_id = ${Number(M.id)} AND level = 'kindergarten'`)).map(([id]) => id).join(',');
  assert.equal(muni.total.responses, await count(`campaign_id = ${Number(CAMP.A.id)} AND kindergarten_id IN (${kids})`));
  assert.ok(kgAnswers > 0);
  // one more answer moves both by one
  const b = await openAsNewBrowser(LINKS.kg.token);
  expect(await answer(LINKS.kg.token, b.cookie, validAnswers(9)), 201, 'one more');
  assert.equal(expect(await dash('doo', K.id), 200, 'again').total.responses, kgAnswers + 1);
  assert.equal(expect(await dash('municipal', M.id), 200, 'again').total.responses, muni.total.responses + 1);
  // a rebuild from the raw answers agrees with what the answers kept up to date
  const before = expect(await dash('doo', K.id), 200, 'before the rebuild');
  expect(await rebuildRollups((m) => api('admin', m, '/admin/rollups/rebuild')), 200, 'rebuild');
  const after = expect(await dash('doo', K.id), 200, 'after the rebuild');
  assert.deepEqual(after.total, before.total);
  assert.deepEqual(after.statements, before.statements);
});

// ---------------------------------------------------------------------------------------
// QR code

/** Draws the SVG of GET …/qr.svg (horizontal runs "Mx y.5hN") and decodes it with jsQR. */
function decodeQrSvg(svg) {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  assert.ok(size > 20, `viewBox: ${svg.slice(0, 200)}`);
  const scale = 6;
  const px = size * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  const d = /\sd="([^"]*)"/.exec(svg)[1];
  let runs = 0;
  for (const [, x, y, w] of d.matchAll(/M(\d+) (\d+)\.5h(\d+)/g)) {
    runs++;
    for (let yy = Number(y) * scale; yy < (Number(y) + 1) * scale; yy++) {
      for (let xx = Number(x) * scale; xx < (Number(x) + Number(w)) * scale; xx++) {
        const o = (yy * px + xx) * 4;
        data[o] = data[o + 1] = data[o + 2] = 0;
      }
    }
  }
  assert.ok(runs > 10, 'dark modules drawn');
  return jsQR(data, px, px)?.data;
}

test('QR code: the SVG decodes to the link’s address', async () => {
  for (const l of [LINKS.kg, [...LINKS.groups.values()][0]]) {
    const r = await api('doo', 'GET', '/units/{id}/survey-links/{link_id}/qr.svg', { params: { id: K.id, link_id: l.id } });
    assert.equal(r.status, 200, show(r));
    assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(r.text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(decodeQrSvg(r.text), l.url, 'the QR code holds the printed address');
  }
  expectProblem(
    await api('doo', 'GET', '/units/{id}/survey-links/{link_id}/qr.svg', { params: { id: K.id, link_id: 987654321 } }),
    404,
    'not-found',
    'QR of an unknown link',
  );
});

test('public page: /s/<token> is the small questionnaire page, not the app', async () => {
  const r = await request(`/s/${LINKS.kg.token}`);
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /\/survey\/survey\.js/, 'its own script');
  assert.doesNotMatch(r.text, /\/assets\//, 'none of the app’s bundle');
  const js = await request('/survey/survey.js');
  const css = await request('/survey/survey.css');
  assert.equal(js.status, 200);
  assert.equal(css.status, 200);
  const bytes = Buffer.byteLength(r.text) + Buffer.byteLength(js.text) + Buffer.byteLength(css.text);
  assert.ok(bytes < 40 * 1024, `page, script and style: ${bytes} bytes`);
  const app = await request('/some/app/route');
  assert.match(app.text, /\/assets\//, 'other paths still get the app');
  assert.notEqual(r.text, app.text, 'not index.html');
});

test('openapi: every survey response conforms to backend/openapi.yaml', () => {
  assert.ok(C.checked > 30, `only ${C.checked} responses checked`);
  assert.deepEqual(C.distinct(), [], 'responses that do not match the description');
});
