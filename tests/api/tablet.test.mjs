// The rules behind the tablet work of docs/api-forms.md and docs/api-campaigns.md: an
// instrument that marks an indicator's photo slot or justification required refuses a
// submission without them with 422 naming the indicators (missing_evidence,
// missing_justification), and accepts it once they are there (a photo attached to the
// indicator answers its photo slot); a returned sheet keeps its answers and files as they
// were at the return, and its resubmission shows them (since_return) beside the new ones.
// A campaign made by mistake is cancelled by those who run it, with a reason: kept (readable
// by id), hidden from the list unless asked for, from the calendar, closed to new sheets,
// audited; others get 403, a second cancel 409, no reason 422.
// «Забыли пароль?» by mail: the request answers the same for an unknown login, a login
// without an address and a real one; the link's token works once, not after it expired, and
// not when unknown; the new password signs in and the old one no longer does.
// Responses are checked against backend/openapi.yaml.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, requestRetry429, login, show } from './lib.mjs';
import { API, apiClient, Conformance, expect } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { isoDay } from './fixtures-forms.mjs';
import { tusUpload, makePng, seededRandom } from './fixtures-uploads.mjs';
import { BASE } from './lib.mjs';
import { query } from './fixtures-org.mjs';

const RUN = Date.now() % 1000000;
const T = {};
const C = new Conformance(loadSpec());
const { api } = apiClient({ tokens: T, conformance: C });

before(async () => {
  for (const who of ['admin', 'region', 'municipal', 'doo', 'teacher']) T[who] = await login(who);
});

/** A small instrument: two indicators, each with a check, a photo slot and a justification; the
 * first indicator's photo and justification are required, the second's are not. */
function askingInstrument(code) {
  const ind = (n, required) => ({
    code: `${code}.1.${n}`,
    title: `Показатель ${n}`,
    items: [
      { code: `${code}.1.${n}.1`, type: 'yes_no', required: true, text: 'Наблюдается' },
      { code: `${code}.1.${n}.evidence`, type: 'evidence', text: 'Фото', ...(required ? { required: true } : {}) },
      { code: `${code}.1.${n}.comment`, type: 'longtext', text: 'Обоснование', ...(required ? { required: true } : {}) },
    ],
  });
  return {
    code,
    version: 1,
    title: `Фото обязательны ${RUN}`,
    respondents: ['doo_coordinator'],
    targets: ['kindergarten'],
    scoring: 'none',
    sections: [{ code: `${code}.1`, title: 'Область', indicators: [ind(1, true), ind(2, false)] }],
  };
}

test('a submission without the photos and justification the instrument requires: 422 naming the indicators', async () => {
  const code = `RQ${RUN}`;
  const up = expect(await api('admin', 'POST', '/instruments', { json: askingInstrument(code) }), 201, 'upload');
  expect(await api('admin', 'POST', '/instruments/{id}/publish', { id: up.id }), 200, 'publish');
  const camp = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Фото ${RUN}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(-1), closes_on: isoDay(20), instrument_ids: [up.id] },
    }),
    201,
    'campaign',
  );
  const me = T.doo.user;
  const sheet = expect(await api('doo', 'POST', '/submissions', { json: { campaign_id: camp.id, instrument_id: up.id, target_unit_id: me.org_unit.id } }), 201, 'start');
  const answers = { [`${code}.1.1.1`]: 'yes', [`${code}.1.2.1`]: 'yes' };
  let saved = expect(await api('doo', 'PATCH', '/submissions/{id}', { id: sheet.id, json: { base_version: sheet.version, answers } }), 200, 'save');

  const r = await api('doo', 'POST', '/submissions/{id}/submit', { id: sheet.id, json: { base_version: saved.version } });
  const p = expect(r, 422, 'submit without the required photo and justification');
  assert.deepEqual(p.missing_evidence, [`${code}.1.1`], 'the indicator whose photo is required');
  assert.deepEqual(p.missing_justification, [`${code}.1.1`], 'the indicator whose justification is required');
  assert.match(p.detail, new RegExp(`Нет фото или видео к показателям: ${code}\\.1\\.1\\.`));
  assert.match(p.detail, new RegExp(`Нет обоснования к показателям: ${code}\\.1\\.1\\.`));
  assert.deepEqual(p.errors.map((e) => e.field).sort(), [`${code}.1.1.comment`, `${code}.1.1.evidence`]);

  // with the justification only, the photo is still named, the justification no longer
  saved = expect(
    await api('doo', 'PATCH', '/submissions/{id}', { id: sheet.id, json: { base_version: saved.version, answers: { [`${code}.1.1.comment`]: 'Центры есть' } } }),
    200,
    'save the justification',
  );
  const p2 = expect(await api('doo', 'POST', '/submissions/{id}/submit', { id: sheet.id, json: { base_version: saved.version } }), 422, 'photo still missing');
  assert.deepEqual(p2.missing_evidence, [`${code}.1.1`]);
  assert.equal(p2.missing_justification, undefined);

  // a photo attached to the indicator answers the slot: the submission goes through
  const png = makePng(8, 8, seededRandom(RUN));
  const meta = { filename: 'rppc.png', filetype: 'image/png', submission: String(sheet.id), indicator: `${code}.1.1` };
  await tusUpload(png, { endpoint: `${BASE}${API}/uploads`, token: T.doo.token, metadata: meta });
  const done = expect(await api('doo', 'POST', '/submissions/{id}/submit', { id: sheet.id, json: { base_version: saved.version } }), 200, 'submit with the photo');
  assert.equal(done.status, 'submitted');
  assert.equal(done.since_return, null, 'never returned');

  // returned by the municipality: the answers and files are kept as they were
  expect(await api('municipal', 'POST', '/submissions/{id}/return', { id: sheet.id, json: { comment: 'Уточните обоснование' } }), 200, 'return');
  const back = expect(await api('doo', 'GET', '/submissions/{id}', { id: sheet.id }), 200, 'read the returned sheet');
  assert.equal(back.since_return.answers[`${code}.1.1.comment`], 'Центры есть');
  assert.deepEqual(back.since_return.evidence.map((f) => f.indicator), [`${code}.1.1`]);
  const changed = expect(
    await api('doo', 'PATCH', '/submissions/{id}', {
      id: sheet.id,
      json: { base_version: back.version, answers: { [`${code}.1.1.comment`]: 'Центры есть, шесть штук', [`${code}.1.2.1`]: 'no' } },
    }),
    200,
    'change after the return',
  );
  const again = expect(await api('doo', 'POST', '/submissions/{id}/submit', { id: sheet.id, json: { base_version: changed.version } }), 200, 'resubmit');
  const seen = expect(await api('municipal', 'GET', '/submissions/{id}', { id: sheet.id }), 200, 'the reviewer reads it');
  assert.equal(seen.status, 'submitted');
  assert.equal(seen.since_return.answers[`${code}.1.1.comment`], 'Центры есть', 'the justification as it was at the return');
  assert.equal(seen.since_return.answers[`${code}.1.2.1`], 'yes', 'the answer as it was');
  assert.equal(seen.answers[`${code}.1.2.1`], 'no', 'and as it is now');
  assert.ok(again.version > back.version);
});

test('a campaign is cancelled with a reason by those who run it: kept, hidden, closed, audited', async () => {
    const tpl = expect(await api('region', 'GET', '/campaigns/template?year=' + isoDay(0).slice(0, 4)), 200, 'template');
  const kg = tpl.stages.find((x) => x.kind === 'kindergarten_self');
  const title = `Ошибочная ${RUN}`;
  const camp = expect(
    await api('region', 'POST', '/campaigns', {
      json: {
        title,
        year: Number(isoDay(0).slice(0, 4)),
        stages: [{ kind: 'kindergarten_self', instrument_id: kg.instrument?.id, respondents: kg.respondents, target_level: kg.target_level, opens_on: isoDay(-1), closes_on: isoDay(20) }],
      },
    }),
    201,
    'campaign',
  );
  assert.equal(camp.cancelled, null);
  const calendarHas = async (who) =>
    expect(await api(who, 'GET', '/me/calendar'), 200, 'calendar').tasks.some((x) => x.campaign.id === camp.id);
  assert.ok(await calendarHas('teacher'), 'in the teacher’s calendar before');

  const r403 = await api('municipal', 'POST', '/campaigns/{id}/cancel', { id: camp.id, json: { reason: 'не моя' } });
  assert.equal(r403.status, 403, `a municipal coordinator: ${show(r403)}`);
  const r403b = await api('teacher', 'POST', '/campaigns/{id}/cancel', { id: camp.id, json: { reason: 'нет' } });
  assert.equal(r403b.status, 403, 'a teacher');
  const r422 = await api('region', 'POST', '/campaigns/{id}/cancel', { id: camp.id, json: { reason: '   ' } });
  assert.equal(r422.status, 422, 'no reason');
  assert.deepEqual(r422.json.errors.map((e) => e.field), ['reason']);
  const r404 = await api('region', 'POST', '/campaigns/{id}/cancel', { id: 999999999, json: { reason: 'нет такой' } });
  assert.equal(r404.status, 404);

  const done = expect(await api('region', 'POST', '/campaigns/{id}/cancel', { id: camp.id, json: { reason: 'создана по ошибке' } }), 200, 'cancel');
  assert.equal(done.cancelled.reason, 'создана по ошибке');
  assert.equal(done.open, false, 'closed to writes');
  assert.equal((await api('region', 'POST', '/campaigns/{id}/cancel', { id: camp.id, json: { reason: 'ещё раз' } })).status, 409, 'twice');

  const list = expect(await api('region', 'GET', '/campaigns'), 200, 'list');
  assert.ok(!list.items.some((c) => c.id === camp.id), 'hidden from the list');
  const all = expect(await api('region', 'GET', '/campaigns?cancelled=1'), 200, 'list with the cancelled');
  assert.ok(all.items.some((c) => c.id === camp.id && c.cancelled), 'listed when asked for');
  expect(await api('teacher', 'GET', '/campaigns/{id}', { id: camp.id }), 200, 'kept, readable by id');
  assert.equal(await calendarHas('teacher'), false, 'gone from the calendar');
  const group = (await request(`${API}/units/${T.doo.user.org_unit.id}/children?active=1`, { token: T.doo.token })).json.items.find((u) => u.level === 'group');
  const start = await request(`${API}/submissions`, {
    method: 'POST',
    token: T.doo.token,
    json: { campaign_id: camp.id, instrument_id: kg.instrument.id, target_unit_id: group.id },
  });
  assert.equal(start.status, 409, `no new sheet in a cancelled campaign: ${show(start)}`);

  const audit = await request(`${API}/audit?action=campaign.cancel`, { token: T.admin.token });
  assert.equal(audit.status, 200, show(audit));
  assert.ok(audit.json.items.some((e) => e.entity_id === camp.id || e.entity?.id === camp.id), `audited: ${show(audit)}`);
});

/** The reset link's token from the last recorded mail to `address`. */
async function mailedToken(address) {
  const rows = await query(`SELECT body FROM mail_outbox WHERE to_address = '${address}' AND notification_id IS NULL ORDER BY id DESC LIMIT 1`);
  assert.equal(rows.length, 1, `a mail to ${address}`);
  const m = /reset-password\?token=([0-9a-f]{64})/.exec(rows[0][0]);
  assert.ok(m, `a link in: ${rows[0][0]}`);
  return m[1];
}

test('password reset by e-mail: one answer for every login, a single-use, short-lived link', async () => {
  const info = expect(await api(null, 'GET', '/auth/password-reset'), 200, 'info');
  assert.equal(info.by_mail, true, 'the test stack records mail');
  const login = `reset${RUN}`;
  const address = `${login}@ds12.example`;
  const made = expect(
    await api('doo', 'POST', '/users', { json: { login, full_name: 'Сброс Пароля', role: 'teacher', org_unit_id: T.doo.user.org_unit.id, email: address, password: 'Старый-пароль-2024' } }),
    201,
    'a teacher with an address',
  );
  await requestRetry429(`${API}/auth/login`, { method: 'POST', json: { login, password: 'Старый-пароль-2024' } });
  const noMail = `nomail${RUN}`;
  expect(await api('doo', 'POST', '/users', { json: { login: noMail, full_name: 'Без Почты', role: 'teacher', org_unit_id: T.doo.user.org_unit.id, password: 'Старый-пароль-2024' } }), 201, 'one without');

  const answers = [];
  for (const who of [login, noMail, `nobody${RUN}`]) {
    const r = await api(null, 'POST', '/auth/password-reset', { json: { login: who } });
    answers.push([r.status, JSON.stringify(r.json)]);
  }
  assert.deepEqual(answers[1], answers[0], 'no address: the same answer');
  assert.deepEqual(answers[2], answers[0], 'unknown login: the same answer');
  assert.equal(answers[0][0], 202);
  assert.equal((await query(`SELECT COUNT(*) FROM mail_outbox WHERE to_address = '${address}'`))[0][0], '1', 'one mail sent');
  // asked again at once: the same answer, no second mail
  assert.equal((await api(null, 'POST', '/auth/password-reset', { json: { login } })).status, 202);
  assert.equal((await query(`SELECT COUNT(*) FROM mail_outbox WHERE to_address = '${address}'`))[0][0], '1', 'one link a minute');
  assert.equal((await api(null, 'POST', '/auth/password-reset', { json: {} })).status, 422, 'no login');

  const token = await mailedToken(address);
  const bad = await api(null, 'POST', '/auth/password-reset/confirm', { json: { token, password: '123' } });
  assert.equal(bad.status, 422, 'a weak password is refused, the link still works');
  const unknown = await api(null, 'POST', '/auth/password-reset/confirm', { json: { token: 'a'.repeat(64), password: 'Новый-пароль-2025' } });
  assert.equal(unknown.status, 400, 'an unknown token');
  const ok = expect(await api(null, 'POST', '/auth/password-reset/confirm', { json: { token, password: 'Новый-пароль-2025' } }), 200, 'reset');
  assert.equal(ok.login, login);
  const again = await api(null, 'POST', '/auth/password-reset/confirm', { json: { token, password: 'Ещё-один-пароль-2025' } });
  assert.equal(again.status, 400, 'used once only');
  assert.deepEqual(again.json, unknown.json, 'used and unknown answer alike');
  assert.equal((await requestRetry429(`${API}/auth/login`, { method: 'POST', json: { login, password: 'Новый-пароль-2025' } })).status, 200, 'the new password signs in');
  assert.equal((await requestRetry429(`${API}/auth/login`, { method: 'POST', json: { login, password: 'Старый-пароль-2024' } })).status, 401, 'the old one does not');

  // an expired link
  await query(`UPDATE password_reset_tokens SET created_at = created_at - INTERVAL 1 HOUR WHERE user_id = ${made.id}`);
  expect(await api(null, 'POST', '/auth/password-reset', { json: { login } }), 202, 'a new link');
  const late = await mailedToken(address);
  assert.notEqual(late, token);
  await query(`UPDATE password_reset_tokens SET expires_at = CURRENT_TIMESTAMP - INTERVAL 1 SECOND WHERE user_id = ${made.id} AND used_at IS NULL`);
  const expired = await api(null, 'POST', '/auth/password-reset/confirm', { json: { token: late, password: 'Ещё-один-пароль-2025' } });
  assert.equal(expired.status, 400, 'expired');
  assert.deepEqual(expired.json, unknown.json, 'expired and unknown answer alike');
});

test('the responses match openapi.yaml', () => {
  assert.ok(C.checked > 0);
  assert.deepEqual(C.distinct(), []);
});
