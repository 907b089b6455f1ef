// make scale-data: fills a running stack's database with a region of realistic size for the
// dashboards (issue 6): 50 municipalities, 1,500 kindergartens, 12,000 groups (children
// enrolled set per group), users of every role, two campaigns (this year and last year)
// with the quality scale (QS) and the parent questionnaire (PQ), 9,000 quality-scale sheets
// with every check item and every justification answered, scored by the server, and
// 100,000 parent responses; SCALE=0.1 makes one tenth of everything.
//
// How each part goes in:
//   - org units and users: SQL in bulk (explicit ids above the highest existing one, the
//     materialised paths computed here), every user with the password `demo`;
//   - campaigns and sheets: through the API, as the real respondents (create, PATCH the
//     answers, submit: the server checks and scores them with its own engine; approve as the
//     administrator), so the scores are the engine's. The tokens are signed here with the
//     stack's own key ($VAR/secrets/jwt.key) for the users just made: 3,000 logins would
//     only measure argon2;
//   - parent responses: SQL in bulk (they have no scoring of their own);
//   - then `vsokd rebuild-rollups` (make rollups) so that the rollups match the raw data.
//
// Deterministic: everything comes from a PRNG seeded with SEED and the entity's index, so
// the same SEED and SCALE give the same data whatever the concurrency (ids depend on what
// the database held before). Loopback only. Running it twice on the same stack is refused
// (the region of that seed and scale exists already) with exit 0. Exit 3: the data went in
// but the rollup rebuild failed (the summary line is printed all the same).
//
//   VSOK_SCALE_URL   the stack (default http://127.0.0.1:8080)
//   VSOK_SCALE_VAR   its state directory (default var): the database client and the key
//   SCALE            1 (default) or any factor in (0, 1]; SEED (default 1)
//   CONCURRENCY      parallel API clients (default 12)
import http from 'node:http';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const base = new URL(process.env.VSOK_SCALE_URL || 'http://127.0.0.1:8080');
const VAR = path.resolve(REPO, process.env.VSOK_SCALE_VAR || 'var');
const SCALE = Number(process.env.SCALE || 1);
const SEED = Number.parseInt(process.env.SEED || '1', 10);
const CONCURRENCY = Number.parseInt(process.env.CONCURRENCY || '12', 10);
const VSOK_BIN = path.resolve(REPO, process.env.VSOK_BIN || 'build/release/vsokd');

const die = (msg) => {
  console.error(`scale-data: ${msg}`);
  process.exit(1);
};
const say = (msg) => console.log(`scale-data: ${msg}`);

if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname) && !base.hostname.startsWith('127.')) {
  console.error(`scale-data: ${base.href} is not a loopback address; refusing`);
  process.exit(2);
}
if (!(SCALE > 0 && SCALE <= 1)) die(`SCALE must be in (0, 1], not ${process.env.SCALE}`);
if (!Number.isInteger(SEED) || SEED < 0) die(`SEED must be a non-negative integer`);
if (!(CONCURRENCY >= 1 && CONCURRENCY <= 64)) die('CONCURRENCY must be 1…64');

// ---- sizes --------------------------------------------------------------------------------
const N_MUN = Math.max(1, Math.round(50 * SCALE));
const N_KG = Math.max(N_MUN, Math.round(1500 * SCALE));
const GROUPS_PER_KG = 8; // 12,000 groups
const GROUP_SHEETS_PER_KG = 2; // per year: 1 self + 2 group sheets = 3 × 1,500 × 2 years = 9,000
const N_RESPONSES = Math.round(100000 * SCALE);
const BATCH = 1000; // rows per INSERT

// ---- deterministic randomness -------------------------------------------------------------
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** A PRNG for one entity: the seed mixed with a kind tag and indexes. */
function rngFor(...keys) {
  let h = (SEED * 2654435761) >>> 0;
  for (const k of keys) {
    const s = String(k);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ 0x9e3779b9, 2246822507) >>> 0;
  }
  return mulberry32(h);
}
const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

// ---- the database client (sql/db.sh shell: the stack's own MariaDB and credentials) -------
const DB_ENV = { ...process.env, VAR, VSOK_DB_HOST: '', VSOK_DB_SOCKET: path.join(VAR, 'run', 'mysqld.sock') };
delete DB_ENV.VSOK_DB_PASSWORD;
DB_ENV.VSOK_DB_OWNER_PASSWORD_FILE = path.join(VAR, 'secrets', 'db.password'); // the schema owner

/** Runs SQL (a string or an iterable of strings) through the client; resolves its stdout. */
function sql(input) {
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(REPO, 'sql/db.sh'), ['shell', '--batch', '--skip-column-names'], {
      env: DB_ENV,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    p.stdout.on('data', (c) => out.push(c));
    p.stderr.on('data', (c) => err.push(c));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString())
        : reject(new Error(`mariadb exited ${code}: ${Buffer.concat(err).toString().slice(-400)}`)),
    );
    p.stdin.on('error', () => {}); // the client stopped reading: its exit status tells why
    Readable.from(typeof input === 'string' ? [input] : input).pipe(p.stdin);
  });
}
const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);

// ---- HTTP ---------------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 2 });
function call(method, urlPath, token, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (data) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': data.length });
    const req = http.request(
      { host: base.hostname, port: base.port || 80, method, path: `/api/v1${urlPath}`, headers, agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60000, () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
    req.end(data);
  });
}
async function must(method, urlPath, token, body, status = 200) {
  for (let attempt = 0; ; attempt++) {
    const r = await call(method, urlPath, token, body);
    if (r.status === status) return r.json;
    // a worker recycled under us (502) or a deadlock retried by the caller (503): once more
    if ((r.status === 502 || r.status === 503) && attempt < 3) continue;
    die(`${method} ${urlPath}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
  }
}

const key = Buffer.from(readFileSync(path.join(VAR, 'secrets', 'jwt.key'), 'utf8').trim(), 'hex');
if (key.length < 32) die(`${VAR}/secrets/jwt.key: expected at least 32 bytes of hex`);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** An access token for a user, signed with the stack's key (the claims vsokd issues). */
function tokenFor(user) {
  const iat = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: String(user.id), role: user.role, org: user.org, iat, exp: iat + 6 * 3600 })}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** Runs jobs with CONCURRENCY workers; reports progress every few seconds. */
async function pool(label, jobs, fn) {
  let next = 0;
  let done = 0;
  const t0 = Date.now();
  const timer = setInterval(() => say(`  ${label}: ${done}/${jobs.length}`), 10000);
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const j = jobs[next++];
          await fn(j);
          done++;
        }
      }),
    );
  } finally {
    clearInterval(timer);
  }
  return (Date.now() - t0) / 1000;
}

// ---- names --------------------------------------------------------------------------------
const TOWNS = [
  'Северный', 'Заречный', 'Лесной', 'Озёрный', 'Приморский', 'Степной', 'Верхний', 'Нижний',
  'Красный', 'Светлый', 'Солнечный', 'Речной', 'Полевой', 'Горный', 'Берёзовский', 'Кедровый',
];
const MUN_KINDS = ['муниципальный район', 'муниципальный округ', 'городской округ'];
const KG_NAMES = [
  'Солнышко', 'Берёзка', 'Радуга', 'Колосок', 'Ручеёк', 'Теремок', 'Сказка', 'Ромашка',
  'Улыбка', 'Золотой ключик', 'Журавлик', 'Незабудка', 'Рябинка', 'Ласточка', 'Звёздочка',
  'Колокольчик', 'Дюймовочка', 'Одуванчик', 'Светлячок', 'Капелька',
];
const KG_FORMS = ['МБДОУ', 'МАДОУ', 'МКДОУ'];
const AGES = ['младшая', 'вторая младшая', 'средняя', 'старшая', 'подготовительная', 'ясельная', 'разновозрастная', 'логопедическая'];
const GROUP_NAMES = ['Пчёлки', 'Гномики', 'Зайчата', 'Непоседы', 'Почемучки', 'Капитошки', 'Смешарики', 'Белочки', 'Фантазёры', 'Лучики'];
const SURNAMES = ['Иванова', 'Петрова', 'Смирнова', 'Кузнецова', 'Соколова', 'Попова', 'Лебедева', 'Козлова', 'Новикова', 'Морозова'];
const FIRST = ['Анна', 'Елена', 'Ольга', 'Татьяна', 'Наталья', 'Ирина', 'Светлана', 'Мария', 'Юлия', 'Галина'];
const PATRON = ['Сергеевна', 'Александровна', 'Викторовна', 'Николаевна', 'Ивановна', 'Петровна', 'Андреевна'];
const person = (rnd) => `${pick(rnd, SURNAMES)} ${pick(rnd, FIRST)} ${pick(rnd, PATRON)}`;
const pad = (n, w = 4) => String(n).padStart(w, '0');

// ---- main ---------------------------------------------------------------------------------
const T0 = Date.now();
const health = await call('GET', '/health');
if (health.status !== 200) die(`no healthy stack at ${base.href}`);

const TAG = `s${SEED}x${Math.round(SCALE * 1000)}`; // logins and the region's code
const regionCode = `SCALE-${TAG}`;
const CODE_PREFIX = `9${SEED % 100}${pad(Math.round(SCALE * 1000) % 1000, 3)}`.padEnd(5, '0');
const SUMMARY = path.join(VAR, `scale-data-${TAG}.json`);
if ((await sql(`SELECT COUNT(*) FROM org_units WHERE code = ${q(regionCode)};`)).trim() !== '0') {
  say(`the region ${regionCode} is already in this database: nothing to do`);
  if (existsSync(SUMMARY)) console.log(`SCALE_DATA ${readFileSync(SUMMARY, 'utf8').trim()}`);
  process.exit(0);
}
const [qsLine, pqLine] = [
  await sql("SELECT id FROM instruments WHERE code = 'QS' AND status = 'published' ORDER BY version DESC LIMIT 1;"),
  await sql("SELECT id FROM instruments WHERE code = 'PQ' AND status = 'published' ORDER BY version DESC LIMIT 1;"),
];
const QS_ID = Number(qsLine.trim());
const PQ_ID = Number(pqLine.trim());
if (!QS_ID || !PQ_ID) die('the published QS and PQ instruments are missing (sql/db.sh migrate)');
const unitBase = Number((await sql('SELECT COALESCE(MAX(id), 0) FROM org_units;')).trim());
const userBase = Number((await sql('SELECT COALESCE(MAX(id), 0) FROM users;')).trim());
const hash = execFileSync(VSOK_BIN, ['hash-password'], { input: 'demo' }).toString().split('\n')[0];
if (!/^\$argon2id\$/.test(hash)) die(`${VSOK_BIN} hash-password gave no argon2id hash`);

// ---- the tree -----------------------------------------------------------------------------
let nextUnit = unitBase;
const region = { id: ++nextUnit, level: 'region', name: `Энская область (масштаб ${TAG})`, path: '' };
region.path = `/${region.id}/`;
const muns = [];
const kgs = [];
const groups = [];
for (let m = 0; m < N_MUN; m++) {
  const rnd = rngFor('mun', m);
  const id = ++nextUnit;
  muns.push({
    id,
    parent: region.id,
    level: 'municipality',
    path: `${region.path}${id}/`,
    name: `${TOWNS[m % TOWNS.length]}${m >= TOWNS.length ? `-${Math.floor(m / TOWNS.length) + 1}` : ''} ${pick(rnd, MUN_KINDS)}`,
    code: `99${pad(m + 1, 3)}000`,
  });
}
for (let k = 0; k < N_KG; k++) {
  const rnd = rngFor('kg', k);
  const mun = muns[k % N_MUN];
  const id = ++nextUnit;
  // a latent quality per kindergarten (how many check items are met) and parent mood
  const quality = clamp(0.55 + 0.22 * (rnd() + rnd() - 1) * 2 + (mun.id % 7) * 0.01, 0.05, 0.98);
  const mood = clamp(0.55 + 0.35 * (rnd() - 0.5) + quality * 0.2, 0.2, 0.95);
  const kg = {
    id,
    parent: mun.id,
    level: 'kindergarten',
    path: `${mun.path}${id}/`,
    name: `${pick(rnd, KG_FORMS)} «Детский сад № ${k + 1} "${pick(rnd, KG_NAMES)}"»`,
    code: `${CODE_PREFIX}${pad(k + 1, 5)}`, // INN-like, unique per seed and scale
    quality,
    mood,
    groups: [],
    enrolled: 0,
  };
  kgs.push(kg);
  for (let g = 0; g < GROUPS_PER_KG; g++) {
    const gid = ++nextUnit;
    const enrolled = 15 + Math.floor(rnd() * 14);
    const grp = {
      id: gid,
      parent: id,
      level: 'group',
      path: `${kg.path}${gid}/`,
      name: `Группа № ${g + 1} «${pick(rnd, GROUP_NAMES)}» (${AGES[g % AGES.length]})`,
      enrolled,
      kg,
      index: g,
    };
    kg.groups.push(grp);
    kg.enrolled += enrolled;
    groups.push(grp);
  }
}

// ---- users: one administrator and one region coordinator, a municipal coordinator and an
// expert per municipality, a coordinator and a teacher per kindergarten ----------------------
let nextUser = userBase;
const users = [];
function addUser(login, role, org, rnd) {
  const u = { id: ++nextUser, login: `${TAG}-${login}`, role, org, name: person(rnd) };
  users.push(u);
  return u;
}
const admin = addUser('admin', 'administrator', region.id, rngFor('user', 'admin'));
const regionUser = addUser('region', 'region_coordinator', region.id, rngFor('user', 'region'));
for (const [m, mun] of muns.entries()) {
  mun.coordinator = addUser(`mun-${pad(m + 1, 3)}`, 'municipal_coordinator', mun.id, rngFor('user', 'mun', m));
  addUser(`expert-${pad(m + 1, 3)}`, 'expert', mun.id, rngFor('user', 'expert', m));
}
for (const [k, kg] of kgs.entries()) {
  kg.coordinator = addUser(`doo-${pad(k + 1)}`, 'doo_coordinator', kg.id, rngFor('user', 'doo', k));
  kg.teacher = addUser(`teacher-${pad(k + 1)}`, 'teacher', kg.id, rngFor('user', 'teacher', k));
}

let t = Date.now();
function* unitRows() {
  const all = [region, ...muns, ...kgs, ...groups];
  yield 'SET foreign_key_checks = 0; START TRANSACTION;\n';
  for (let i = 0; i < all.length; i += BATCH) {
    const rows = all.slice(i, i + BATCH).map(
      (u) => `(${u.id},${u.parent ?? 'NULL'},'${u.level}',${q(u.path)},${q(u.name)},${q(u.code ?? null)},${u.level === 'group' ? u.enrolled : 'NULL'})`,
    );
    yield `INSERT INTO org_units (id, parent_id, level, path, name, code, children_enrolled) VALUES ${rows.join(',')};\n`;
  }
  for (let i = 0; i < users.length; i += BATCH) {
    const rows = users
      .slice(i, i + BATCH)
      .map((u) => `(${u.id},${q(u.login)},${q(hash)},${q(u.name)},'${u.role}',${u.org})`);
    yield `INSERT INTO users (id, login, password_hash, full_name, role, org_unit_id) VALUES ${rows.join(',')};\n`;
  }
  yield 'COMMIT; SET foreign_key_checks = 1;\n';
}
await sql(unitRows());
await sql(`UPDATE org_units SET code = ${q(regionCode)} WHERE id = ${region.id};`);
say(
  `region ${region.id} (${regionCode}): ${muns.length} municipalities, ${kgs.length} kindergartens, ` +
    `${groups.length} groups, ${users.length} users (password demo) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
);

// ---- campaigns (through the API, as the region coordinator) -------------------------------
const tok = new Map();
const token = (u) => tok.get(u.id) ?? (tok.set(u.id, tokenFor(u)), tok.get(u.id));
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
const YEAR = Number(day(0).slice(0, 4));
const def = (await must('GET', `/instruments/${QS_ID}`, token(regionUser))).definition;
const checks = [];
const texts = [];
for (const s of def.sections)
  for (const i of s.indicators)
    for (const it of i.items) {
      if (it.type === 'check') checks.push({ code: it.code, level: it.level, na: !!it.na_allowed });
      else if (it.type === 'longtext' || it.type === 'text') texts.push(it.code);
    }
const pqDef = (await must('GET', `/instruments/${PQ_ID}`, token(regionUser))).definition;
const pqItems = pqDef.sections.flatMap((s) => s.indicators.flatMap((i) => i.items));

const campaigns = [];
for (const year of [YEAR - 1, YEAR]) {
  const c = await must(
    'POST',
    '/campaigns',
    token(regionUser),
    {
      title: `Мониторинг качества дошкольного образования ${year} (${TAG})`,
      year,
      opens_on: day(-60),
      closes_on: day(20),
      instrument_ids: [QS_ID, PQ_ID],
    },
    201,
  );
  campaigns.push({ id: c.id, year, last: year === YEAR - 1 });
}

// ---- quality-scale sheets through the API -------------------------------------------------
const JUSTIFY = [
  'Оценка подтверждается документами ДОО и наблюдением в группах.',
  'Показатель обсуждён на педагогическом совете, план улучшений принят.',
  'Условия созданы частично; недостающее включено в план на следующий год.',
  'Подтверждено фотоматериалами и записями в журналах.',
];
/** The answers of one sheet: items met more often at lower levels and in better kindergartens. */
function answersFor(kg, camp, target, kind) {
  const rnd = rngFor('sheet', kg.id - unitBase, camp.year, target - unitBase, kind);
  const q0 = clamp(kg.quality - (camp.last ? 0.06 : 0) + (kind === 'group' ? (rnd() - 0.5) * 0.2 : 0), 0.02, 0.99);
  const a = {};
  for (const c of checks) {
    const p = clamp(q0 + 0.45 - (c.level - 2) * 0.22, 0.02, 0.99);
    a[c.code] = c.na && rnd() < 0.02 ? 'na' : rnd() < p ? 'met' : 'not_met';
  }
  for (const code of texts) a[code] = pick(rnd, JUSTIFY);
  return a;
}

const jobs = [];
for (const camp of campaigns) {
  for (const [k, kg] of kgs.entries()) {
    const rnd = rngFor('status', camp.year, k);
    const targets = [{ unit: kg.id, who: kg.coordinator, kind: 'self' }];
    for (let g = 0; g < GROUP_SHEETS_PER_KG; g++) {
      const grp = kg.groups[(g * 3 + k) % GROUPS_PER_KG];
      targets.push({ unit: grp.id, who: kg.teacher, kind: 'group' });
    }
    for (const tg of targets) {
      // last year everything was approved; this year a few sheets are still submitted or drafts
      const r = rnd();
      const end = camp.last || r < 0.9 ? 'approved' : r < 0.96 ? 'submitted' : 'draft';
      jobs.push({ camp, kg, ...tg, end });
    }
  }
}
const counts = { approved: 0, submitted: 0, draft: 0 };
const adminToken = token(admin);
const secs = await pool('sheets', jobs, async (j) => {
  const tk = token(j.who);
  const doc = await must('POST', '/submissions', tk, { campaign_id: j.camp.id, instrument_id: QS_ID, target_unit_id: j.unit }, 201);
  const saved = await must('PATCH', `/submissions/${doc.id}`, tk, {
    base_version: doc.version,
    answers: answersFor(j.kg, j.camp, j.unit, j.kind),
  });
  if (j.end !== 'draft') await must('POST', `/submissions/${doc.id}/submit`, tk, { base_version: saved.version });
  if (j.end === 'approved') await must('POST', `/submissions/${doc.id}/approve`, adminToken, {});
  counts[j.end]++;
});
say(
  `${jobs.length} quality-scale sheets (${counts.approved} approved, ${counts.submitted} submitted, ` +
    `${counts.draft} drafts; ${checks.length + texts.length} answers each) through the API in ${secs.toFixed(1)} s ` +
    `(${(jobs.length / secs).toFixed(0)} sheets/s, ${CONCURRENCY} clients)`,
);

// last year's campaign is over: move its dates a year back
const last = campaigns.find((c) => c.last);
await sql(
  `UPDATE campaigns SET opens_on = DATE_SUB(opens_on, INTERVAL 1 YEAR), closes_on = DATE_SUB(closes_on, INTERVAL 1 YEAR) WHERE id = ${last.id};`,
);

// ---- parent responses (SQL in bulk) -------------------------------------------------------
t = Date.now();
const WISH = ['Спасибо воспитателям!', 'Хотелось бы больше прогулок.', 'Просим обновить площадку.', 'Всё устраивает.'];
function pqAnswers(rnd, kg) {
  const a = {};
  for (const it of pqItems) {
    if (it.type === 'likert5') {
      const x = kg.mood + (rnd() - 0.5) * 0.7;
      a[it.code] = it.na_allowed && rnd() < 0.02 ? 'na' : clamp(Math.round(1 + x * 4 + (rnd() - 0.5)), 1, 5);
    } else if (it.type === 'yes_no_unsure') {
      const x = rnd();
      a[it.code] = x < kg.mood ? 'yes' : x < kg.mood + 0.15 ? 'unsure' : 'no';
    } else if (it.type === 'single' && it.options?.length) {
      a[it.code] = pick(rnd, it.options).code;
    } else if ((it.type === 'longtext' || it.type === 'text') && rnd() < 0.1) {
      a[it.code] = pick(rnd, WISH);
    }
  }
  return a;
}
// responses spread over the kindergartens in proportion to their children
const cumulative = [];
let acc = 0;
for (const kg of kgs) cumulative.push((acc += kg.enrolled * (0.5 + kg.mood)));
function kgAt(x) {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return kgs[lo];
}
function* responseRows() {
  yield 'START TRANSACTION;\n';
  for (let i = 0; i < N_RESPONSES; i += BATCH) {
    const rows = [];
    for (let n = i; n < Math.min(N_RESPONSES, i + BATCH); n++) {
      const rnd = rngFor('parent', n);
      const camp = campaigns[n % 2];
      const kg = kgAt(rnd() * acc);
      const grp = kg.groups[Math.floor(rnd() * GROUPS_PER_KG)];
      const answered = `${camp.year}-${pick(rnd, ['10', '11'])}-${pad(1 + Math.floor(rnd() * 28), 2)}`;
      rows.push(`(${camp.id},${PQ_ID},${kg.id},${grp.id},${q(JSON.stringify(pqAnswers(rnd, kg)))},'${answered}')`);
    }
    yield `INSERT INTO survey_responses (campaign_id, instrument_id, kindergarten_id, group_id, answers, answered_on) VALUES ${rows.join(',')};\n`;
  }
  yield 'COMMIT;\n';
}
await sql(responseRows());
say(`${N_RESPONSES} parent responses in ${((Date.now() - t) / 1000).toFixed(1)} s`);

// ---- rollups ------------------------------------------------------------------------------
t = Date.now();
// `vsokd rebuild-rollups` (what `make rollups` runs) rather than POST /admin/rollups/rebuild:
// at full size the rebuild takes longer than nginx waits for an answer (60 s)
const rebuilt = spawnSync(path.join(REPO, 'backend/deploy/stack.sh'), ['rollups'], {
  env: { ...process.env, VAR, VSOK_BIN },
  encoding: 'utf8',
  timeout: 15 * 60 * 1000,
});
const rollupsOk = rebuilt.status === 0;
const rebuildText = `${rebuilt.stdout || ''}${rebuilt.stderr || ''}`.trim().split('\n').pop();
if (rollupsOk) say(`${rebuildText} (${((Date.now() - t) / 1000).toFixed(1)} s with the command)`);
else
  console.error(
    `scale-data: vsokd rebuild-rollups failed (exit ${rebuilt.status ?? rebuilt.signal}) after ` +
      `${((Date.now() - t) / 1000).toFixed(1)} s: ${rebuildText}: the rollups do not match the data ` +
      "(the sheets' figures are kept on approval, the parent responses are missing)",
  );

say(
  `done in ${((Date.now() - T0) / 1000).toFixed(1)} s: region ${region.id}, campaigns ${campaigns.map((c) => `${c.id} (${c.year})`).join(', ')}; ` +
    `logins ${admin.login}, ${regionUser.login}, ${TAG}-mun-001, ${TAG}-doo-0001, ${TAG}-teacher-0001 (password demo)`,
);
// for scripts (tests/bench/dashboards.sh): one machine-readable line, kept beside the data
const summary = JSON.stringify({
  tag: TAG,
  scale: SCALE,
  region: region.id,
  municipality: muns[0].id,
  kindergarten: kgs[0].id,
  group: kgs[0].groups[0].id,
  campaign: campaigns[1].id,
  previous: campaigns[0].id,
  qs: QS_ID,
  pq: PQ_ID,
  admin: admin.login,
  region_login: regionUser.login,
  rollups: rollupsOk,
});
writeFileSync(SUMMARY, `${summary}\n`);
console.log(`SCALE_DATA ${summary}`);
agent.destroy();
process.exitCode = rollupsOk ? 0 : 3;
