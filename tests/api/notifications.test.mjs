// Notifications (docs/api-notifications.md): a returned sheet and an expert assignment
// notify their people in the bell; counts and marking read; the outgoing mail is recorded
// (the test stack runs VSOK_MAIL=record) and, with VSOK_MAIL=smtp, `vsokd send-mail` hands
// it to an SMTP server — here a sink on the loopback that keeps what it receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { show, login } from './lib.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { DEMO_LOGIN, get, post, patch, put, del, ok, query } from './fixtures-org.mjs';

const S = {};
let campaign;
let qs;

const today = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  for (const role of ['administrator', 'region_coordinator', 'municipal_coordinator', 'doo_coordinator', 'teacher', 'expert'])
    S[role] = await login(DEMO_LOGIN[role]);
  const instruments = ok(await get('/instruments', S.region_coordinator.token), 200, 'instruments').items;
  qs = instruments.find((i) => i.code === 'QS');
  campaign = ok(
    await post(
      '/campaigns',
      { title: `Уведомления ${Date.now()}`, year: new Date().getFullYear(), opens_on: today(-1), closes_on: today(20), instrument_ids: [qs.id] },
      S.region_coordinator.token,
    ),
    201,
    'campaign',
  );
});

/** The teacher's group sheet, filled and submitted; returns its id. */
async function submittedSheet() {
  const t = S.teacher.token;
  const groups = ok(await get(`/units/${S.teacher.user.org_unit.id}/children?active=1`, t), 200, 'groups').items;
  const used = new Set(
    ok(await get(`/submissions?campaign_id=${campaign.id}`, t), 200, 'sheets').items.map((s) => s.target?.id),
  );
  const group = groups.find((g) => g.level === 'group' && !used.has(g.id));
  assert.ok(group, 'a group without a sheet in this campaign');
  const sheet = ok(await post('/submissions', { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: group.id }, t), 201, 'sheet');
  const def = ok(await get(`/instruments/${qs.id}`, t), 200, 'definition').definition;
  const answers = {};
  for (const s of def.sections) for (const ind of s.indicators) for (const it of ind.items) if (it.type === 'check') answers[it.code] = 'met';
  const saved = ok(await patch(`/submissions/${sheet.id}`, { base_version: sheet.version, answers }, t), 200, 'save');
  ok(await post(`/submissions/${sheet.id}/submit`, { base_version: saved.version }, t), 200, 'submit');
  return sheet.id;
}

test('a returned sheet notifies its author in the bell, with the comment and a link to it; mail is recorded', async () => {
  const before0 = ok(await get('/me/notifications/count', S.teacher.token), 200, 'count').unread;
  const id = await submittedSheet();
  const r = await post(`/submissions/${id}/return`, { comment: 'Добавьте фото центра воды и песка' }, S.doo_coordinator.token);
  assert.equal(r.status, 200, show(r));

  const count = ok(await get('/me/notifications/count', S.teacher.token), 200, 'count');
  assert.equal(count.unread, before0 + 1);
  const list = ok(await get('/me/notifications', S.teacher.token), 200, 'list');
  const n = list.items[0];
  assert.equal(n.kind, 'sheet_returned');
  assert.match(n.title, /возвращена на доработку/);
  assert.match(n.body, /Добавьте фото центра воды и песка/);
  assert.equal(n.link, `/forms/${id}`);
  assert.equal(n.read, false);
  assert.equal(list.unread, count.unread);

  // Nobody else got it.
  const doo = ok(await get('/me/notifications', S.doo_coordinator.token), 200, 'doo list');
  assert.ok(!doo.items.some((x) => x.id === n.id));

  // The outgoing mail, kept and not sent (VSOK_MAIL=record on the test stack).
  const rows = await query(`SELECT to_address, subject, status, body FROM mail_outbox WHERE notification_id = ${n.id}`);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].slice(0, 3), ['m.ivanova@ds12.ensk.example', n.title, 'recorded']);
  assert.match(rows[0][3], new RegExp(`/forms/${id}`));
});

test('approval notifies too; a user without e-mail gets the bell but no mail', async () => {
  const id = await submittedSheet();
  ok(await post(`/submissions/${id}/approve`, {}, S.doo_coordinator.token), 200, 'approve');
  const n = ok(await get('/me/notifications?unread=1', S.teacher.token), 200, 'list').items.find((x) => x.link === `/forms/${id}`);
  assert.equal(n?.kind, 'sheet_approved');
  // Take the teacher's e-mail away: the next notification has no mail row.
  const email = (await query(`SELECT email FROM users WHERE id = ${S.teacher.user.id}`))[0][0];
  await query(`UPDATE users SET email = NULL WHERE id = ${S.teacher.user.id}`);
  try {
    const id2 = await submittedSheet();
    ok(await post(`/submissions/${id2}/return`, { comment: 'ещё раз' }, S.doo_coordinator.token), 200, 'return');
    const n2 = ok(await get('/me/notifications', S.teacher.token), 200, 'list').items.find((x) => x.link === `/forms/${id2}`);
    assert.ok(n2);
    assert.deepEqual(await query(`SELECT id FROM mail_outbox WHERE notification_id = ${n2.id}`), []);
  } finally {
    await query(`UPDATE users SET email = '${email}' WHERE id = ${S.teacher.user.id}`);
  }
});

test('marking read: own ids or all; another user’s ids change nothing', async () => {
  const mine = ok(await get('/me/notifications?unread=1', S.teacher.token), 200, 'list');
  assert.ok(mine.items.length >= 1, 'the earlier tests left unread notifications');
  const first = mine.items[0];
  // the doo coordinator cannot mark the teacher's notification
  const foreign = ok(await post('/me/notifications/read', { ids: [first.id] }, S.doo_coordinator.token), 200, 'foreign');
  assert.equal(typeof foreign.unread, 'number');
  assert.equal(ok(await get('/me/notifications/count', S.teacher.token), 200, 'count').unread, mine.unread);

  const one = ok(await post('/me/notifications/read', { ids: [first.id] }, S.teacher.token), 200, 'one');
  assert.equal(one.unread, mine.unread - 1);
  const after1 = ok(await get('/me/notifications', S.teacher.token), 200, 'list');
  assert.equal(after1.items.find((x) => x.id === first.id).read, true);
  const all = ok(await post('/me/notifications/read', { all: true }, S.teacher.token), 200, 'all');
  assert.equal(all.unread, 0);
  assert.deepEqual(ok(await get('/me/notifications?unread=1', S.teacher.token), 200, 'list').items, []);
});

test('paging with before=, and bad parameters and bodies are refused', async () => {
  const page1 = ok(await get('/me/notifications?limit=1', S.teacher.token), 200, 'page 1');
  assert.equal(page1.items.length, 1);
  const page2 = ok(await get(`/me/notifications?limit=1&before=${page1.items[0].id}`, S.teacher.token), 200, 'page 2');
  assert.ok(page2.items.every((x) => x.id < page1.items[0].id));
  for (const q of ['limit=0', 'limit=201', 'limit=x', 'before=-1', 'before='])
    assert.equal((await get(`/me/notifications?${q}`, S.teacher.token)).status, 400, q);
  for (const body of [{}, { ids: 'all' }, { ids: [0] }, { ids: ['1'] }, { all: false }, [1, 2], { ids: Array(501).fill(1) }]) {
    const r = await post('/me/notifications/read', body, S.teacher.token);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 40)}: ${show(r)}`);
  }
});

test('an expert assignment notifies the expert', async () => {
  const kgs = ok(await get(`/units/${S.municipal_coordinator.user.org_unit.id}/children?active=1`, S.municipal_coordinator.token), 200, 'kgs').items;
  const assigned = new Set(
    ok(await get(`/users/${S.expert.user.id}/assignments`, S.municipal_coordinator.token), 200, 'assignments').items.map((a) => a.id ?? a.unit?.id),
  );
  const kg = kgs.find((k) => k.level === 'kindergarten' && !assigned.has(k.id));
  assert.ok(kg, 'a kindergarten the expert is not assigned to');
  const r = await put(`/users/${S.expert.user.id}/assignments/${kg.id}`, S.municipal_coordinator.token);
  assert.equal(r.status, 204, show(r));
  try {
    const n = ok(await get('/me/notifications', S.expert.token), 200, 'list').items.find((x) => x.kind === 'assignment' && x.link === `/units/${kg.id}`);
    assert.ok(n, 'assignment notification');
    assert.ok(n.title.includes(kg.name));
  } finally {
    await del(`/users/${S.expert.user.id}/assignments/${kg.id}`, S.municipal_coordinator.token);
  }
});

// ---------------------------------------------------------------------------------------
// Sending: a minimal SMTP server on the loopback, and `vsokd send-mail` with VSOK_MAIL=smtp.

let sink;
const received = [];

function startSink() {
  return new Promise((resolve) => {
    sink = createServer((sock) => {
      let buf = '';
      let data = false;
      const msg = { from: '', to: [], text: '' };
      sock.write('220 sink ESMTP\r\n');
      sock.on('data', (chunk) => {
        buf += chunk.toString('latin1');
        for (;;) {
          if (data) {
            const end = buf.indexOf('\r\n.\r\n');
            if (end < 0) return;
            msg.text = Buffer.from(buf.slice(0, end), 'latin1').toString('utf8');
            buf = buf.slice(end + 5);
            data = false;
            received.push({ ...msg });
            sock.write('250 queued\r\n');
            continue;
          }
          const eol = buf.indexOf('\r\n');
          if (eol < 0) return;
          const line = buf.slice(0, eol);
          buf = buf.slice(eol + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') sock.write('250-sink\r\n250 8BITMIME\r\n');
          else if (verb === 'MAIL') (msg.from = line), sock.write('250 ok\r\n');
          else if (verb === 'RCPT') msg.to.push(line), sock.write('250 ok\r\n');
          else if (verb === 'DATA') (data = true), sock.write('354 go on\r\n');
          else if (verb === 'QUIT') sock.end('221 bye\r\n');
          else sock.write('250 ok\r\n');
        }
      });
      sock.on('error', () => {});
    });
    sink.listen(0, '127.0.0.1', () => resolve(sink.address().port));
  });
}

after(() => sink?.close());

const sendMail = (env) => vsokd(['send-mail'], env);

test('with VSOK_MAIL=smtp the queued mail goes to the SMTP server: Russian subject and body intact, marked sent', async () => {
  const port = await startSink();
  const id = await submittedSheet();
  ok(await post(`/submissions/${id}/return`, { comment: 'Проверьте показатель 5.2' }, S.doo_coordinator.token), 200, 'return');
  const n = ok(await get('/me/notifications', S.teacher.token), 200, 'list').items.find((x) => x.link === `/forms/${id}`);
  // Queue it as a server with VSOK_MAIL=smtp would have.
  await query(`UPDATE mail_outbox SET status = 'queued' WHERE notification_id = ${n.id}`);
  const run = await sendMail({ VSOK_MAIL: 'smtp', VSOK_SMTP_URL: `smtp://127.0.0.1:${port}`, VSOK_SMTP_FROM: 'noreply@vsok.example' });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /[1-9]\d* message\(s\) sent/);
  const got = received.find((m) => m.to.some((t) => t.includes('m.ivanova@ds12.ensk.example')));
  assert.ok(got, `the sink received ${received.length} message(s)`);
  assert.match(got.from, /<noreply@vsok\.example>/);
  const [head, body] = got.text.split('\r\n\r\n');
  const words = [...head.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
  assert.equal(words.join(''), n.title);
  assert.match(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8'), /Проверьте показатель 5\.2/);
  assert.deepEqual((await query(`SELECT status, attempts FROM mail_outbox WHERE notification_id = ${n.id}`))[0], ['sent', '1']);

  // With the server gone the message stays queued with the error, and fails after the last attempt.
  const id2 = await submittedSheet();
  ok(await post(`/submissions/${id2}/return`, { comment: 'снова' }, S.doo_coordinator.token), 200, 'return');
  const n2 = ok(await get('/me/notifications', S.teacher.token), 200, 'list').items.find((x) => x.link === `/forms/${id2}`);
  await query(`UPDATE mail_outbox SET status = 'queued', attempts = 4 WHERE notification_id = ${n2.id}`);
  await new Promise((r) => sink.close(r));
  const failed = await sendMail({ VSOK_MAIL: 'smtp', VSOK_SMTP_URL: `smtp://127.0.0.1:${port}`, VSOK_SMTP_FROM: 'noreply@vsok.example' });
  assert.equal(failed.code, 0, failed.stderr);
  const [status, attempts, error] = (await query(`SELECT status, attempts, last_error FROM mail_outbox WHERE notification_id = ${n2.id}`))[0];
  assert.deepEqual([status, attempts], ['failed', '5']);
  assert.ok(error && error.length > 0);
});
