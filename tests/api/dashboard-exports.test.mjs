// Dashboard exports (docs/api-dashboards.md, "Exports"): every view of a unit as XLSX and
// CSV with the view's own parameters. The XLSX is unzipped (fflate) and its sheet XML read
// back: the same numbers as the JSON view, stored as numbers, the header row bold, the
// column widths set, one sheet per table. The CSV parses with its BOM and either
// separator, with decimal commas under ';'. Plus the file name, the formula guard and
// the errors.
//
// Fixtures, through the API: a campaign of the region coordinator with the quality scale and
// the parent questionnaire; the self-assessments of three demo kindergartens (doo, doo2,
// doo3), answered, submitted and approved; a group of doo's kindergarten whose name looks
// like a formula; for the parents view, a few parent responses (SQL, then the rollups
// rebuilt).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { login, show, assertProblem, rebuildRollups } from './lib.mjs';
import { readXlsx, tableOf, download } from './fixtures-xlsx.mjs';
import { RUN, get, post, patch, query, parseCsv, ok } from './fixtures-org.mjs';
import { isoDay, itemsOf } from './fixtures-forms.mjs';

const VIEWS = ['children', 'breakdown', 'completion', 'parents'];
const T = {}; // login -> { token, user }
const F = {}; // fixtures

/** A number cell equal to the JSON number (null: an empty cell). */
function assertNumberCell(cell, expected, what) {
  if (expected === null || expected === undefined) {
    assert.ok(!cell || cell.raw === undefined, `${what}: expected an empty cell, got ${JSON.stringify(cell)}`);
    return;
  }
  assert.ok(cell, `${what}: no cell, expected ${expected}`);
  assert.equal(cell.t, 'n', `${what}: stored as ${cell.t}, not as a number`);
  assert.equal(cell.value, expected, what);
}

const col = (header, title) => {
  const i = header.findIndex((c) => c?.value === title);
  assert.ok(i >= 0, `no column "${title}" in ${header.map((c) => c?.value).join(' | ')}`);
  return i;
};

// ---------------------------------------------------------------------------------------
// Fixtures

before(async () => {
  for (const who of ['admin', 'region', 'municipal', 'doo', 'doo2', 'doo3']) T[who] = await login(who);
  const admin = T.admin.token;
  F.region = T.region.user.org_unit.id;
  F.kg = T.doo.user.org_unit.id;
  const ins = ok(await get('/instruments', T.region.token), 200, 'GET /instruments').items;
  F.qs = ins.find((m) => m.code === 'QS');
  F.pq = ins.find((m) => m.code === 'PQ');
  assert.ok(F.qs && F.pq, 'the QS and PQ instruments are published');
  const def = ok(await get(`/instruments/${F.qs.id}`, T.region.token), 200, 'GET QS').definition;

  const camp = ok(
    await post(
      '/campaigns',
      { title: `Выгрузки ${RUN}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: [F.qs.id, F.pq.id] },
      T.region.token,
    ),
    201,
    'POST /campaigns',
  );
  F.campaign = camp.id;

  // three self-assessments with different levels: item met up to level 2, 3 or 4
  for (const [n, who] of ['doo', 'doo2', 'doo3'].entries()) {
    const tk = T[who].token;
    const sheet = ok(
      await post('/submissions', { campaign_id: F.campaign, instrument_id: F.qs.id, target_unit_id: T[who].user.org_unit.id }, tk),
      201,
      `POST /submissions as ${who}`,
    );
    const answers = {};
    for (const { item } of itemsOf(def)) {
      if (item.type === 'check') answers[item.code] = item.level <= 2 + n ? 'met' : 'not_met';
      else if (item.type === 'longtext') answers[item.code] = `Обоснование ${RUN}`;
    }
    const saved = ok(await patch(`/submissions/${sheet.id}`, { base_version: sheet.version, answers }, tk), 200, 'PATCH');
    ok(await post(`/submissions/${sheet.id}/submit`, { base_version: saved.version }, tk), 200, 'submit');
    ok(await post(`/submissions/${sheet.id}/approve`, {}, admin), 200, 'approve');
  }

  // a group whose name a spreadsheet would run as a formula
  F.formulaName = `=СУММ(1;2) выгрузка ${RUN}`;
  F.group = ok(await post('/units', { parent_id: F.kg, name: F.formulaName }, admin), 201, 'POST /units').id;
  ok(await patch(`/units/${F.group}`, { children_enrolled: 20 }, admin), 200, 'PATCH /units children_enrolled');

});

/** Parent responses of doo's kindergarten (SQL), then the rollups rebuilt from the raw data. */
async function parentResponses() {
  if (F.parents) return F.parents;
  const admin = T.admin.token;
  const pqDef = ok(await get(`/instruments/${F.pq.id}`, T.region.token), 200, 'GET PQ').definition;
  const rows = [];
  for (let r = 0; r < 5; r++) {
    const a = {};
    for (const { item } of itemsOf(pqDef)) {
      if (item.type === 'likert5') a[item.code] = 1 + ((r + item.code.length) % 5);
      else if (item.type === 'yes_no_unsure') a[item.code] = ['yes', 'no', 'unsure'][r % 3];
    }
    rows.push(`(${F.campaign}, ${F.pq.id}, ${F.kg}, ${F.group}, '${JSON.stringify(a)}', CURRENT_DATE)`);
  }
  await query(
    `INSERT INTO survey_responses (campaign_id, instrument_id, kindergarten_id, group_id, answers, answered_on) VALUES ${rows.join(',')}`,
  );
  F.parents = await rebuildRollups((m) => (m === 'POST' ? post('/admin/rollups/rebuild', {}, admin) : get('/admin/rollups/rebuild', admin)));
  return F.parents;
}

const viewPath = (unit, view, ext = '', extra = '') => `/dashboards/units/${unit}/${view}${ext}?campaign=${F.campaign}${extra}`;

async function jsonAndXlsx(unit, view, token, extra = '') {
  const j = ok(await get(viewPath(unit, view, '', extra), token), 200, `GET ${view}`);
  const x = await download(viewPath(unit, view, '.xlsx', extra), token);
  assert.equal(x.status, 200, `${view}.xlsx: ${x.status} ${x.text.slice(0, 300)}`);
  assert.match(x.headers.get('content-type'), /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
  assert.equal(x.buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  return { j, book: readXlsx(x.buf), res: x };
}

// ---------------------------------------------------------------------------------------
// XLSX

test('children.xlsx: the same numbers as the JSON, as numbers, header bold, widths, title block', async () => {
  const { j, book } = await jsonAndXlsx(F.region, 'children', T.region.token);
  assert.equal(book.sheets.length, 1);
  const sheet = book.sheets[0];
  const t = tableOf(sheet, book.bold);
  assert.ok(t.header.every((c) => c && book.bold(c.s)), 'every header cell is bold');
  assert.equal(sheet.pane, t.headerNo, 'panes frozen below the header');
  assert.match(t.title[0], new RegExp(j.unit.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.ok(t.title.some((s) => s?.includes(j.campaign.title)), `the campaign in the title block: ${t.title}`);

  const cName = col(t.header, 'Организация');
  const cols = {
    expected: col(t.header, 'Ожидается анкет'),
    submitted: col(t.header, 'Подано'),
    approved: col(t.header, 'Утверждено'),
    n: col(t.header, 'Анкет в результатах'),
    overall: col(t.header, 'Общий балл'),
  };
  // the total row first, then one row per child in the JSON's order
  assert.equal(t.rows.length, j.items.length + 1);
  const check = (row, item, what) => {
    for (const k of ['expected', 'submitted', 'approved']) assertNumberCell(row[cols[k]], item.completion[k], `${what} ${k}`);
    assertNumberCell(row[cols.n], item.results.n, `${what} n`);
    assertNumberCell(row[cols.overall], item.results.overall, `${what} overall`);
    for (const s of j.instrument.sections) {
      const c = t.header.findIndex((h) => h?.value.startsWith(`${s.code} `));
      assert.ok(c > 0, `a column for area ${s.code}`);
      assertNumberCell(row[c], item.results.sections?.[s.code] ?? null, `${what} ${s.code}`);
    }
  };
  check(t.rows[0], j.total, 'total');
  j.items.forEach((item, i) => {
    assert.equal(t.rows[i + 1][cName].value, item.name);
    check(t.rows[i + 1], item, item.name);
  });
  assert.ok(j.total.results.n >= 3, `the approved sheets count: ${JSON.stringify(j.total)}`);
  assert.ok(
    t.rows.some((r) => r[cols.overall]?.t === 'n'),
    'at least one overall score is a number cell',
  );

  // widths: the name column fits the longest name
  const longest = Math.max(...t.rows.map((r) => [...(r[cName]?.value || '')].length));
  const w = sheet.cols.find((c) => c.min === cName + 1);
  assert.ok(w && w.width >= Math.min(longest, 60), `column width ${w?.width} for names of ${longest} characters`);
  for (const c of Object.values(cols)) assert.ok(sheet.cols.some((x) => x.min === c + 1), `column ${c + 1} has a width`);
});

test('breakdown.xlsx: overall, areas and indicators with the JSON means and level counts', async () => {
  const { j, book } = await jsonAndXlsx(F.kg, 'breakdown', T.doo.token);
  const t = tableOf(book.sheets[0], book.bold);
  const cCode = col(t.header, 'Код');
  const cN = col(t.header, 'Анкет');
  const cMean = col(t.header, 'Среднее');
  const cL1 = col(t.header, 'На уровне 1');
  const cParent = col(t.header, 'Среднее (вышестоящий)');
  const nodes = [['', j.overall]];
  for (const s of j.sections) {
    nodes.push([s.code, s]);
    for (const i of s.indicators) nodes.push([i.code, i]);
  }
  assert.equal(t.rows.length, nodes.length);
  nodes.forEach(([code, node], k) => {
    const row = t.rows[k];
    if (code) assert.equal(row[cCode].value, code);
    assertNumberCell(row[cN], node.unit?.n ?? null, `${code || 'overall'} n`);
    assertNumberCell(row[cMean], node.unit?.mean ?? null, `${code || 'overall'} mean`);
    (node.unit?.levels || []).forEach((v, l) => assertNumberCell(row[cL1 + l], v, `${code} level ${l + 1}`));
    assertNumberCell(row[cParent], node.parent?.mean ?? null, `${code || 'overall'} parent mean`);
  });
  assert.equal(j.overall.unit.n, 1, 'the kindergarten has its approved self-assessment');
  assert.equal(t.rows[0][cMean].t, 'n');
});

test('completion.xlsx: the total and every row per instrument as in the JSON', async () => {
  const { j, book } = await jsonAndXlsx(F.region, 'completion', T.region.token);
  const t = tableOf(book.sheets[0], book.bold);
  const cE = col(t.header, 'Ожидается');
  const cS = col(t.header, 'Подано');
  const cA = col(t.header, 'Утверждено');
  let k = 0;
  for (const ins of j.instruments) {
    for (const item of [ins.total, ...ins.items]) {
      const row = t.rows[k++];
      assertNumberCell(row[cE], item.expected, `${ins.code} expected`);
      assertNumberCell(row[cS], item.submitted, `${ins.code} submitted`);
      assertNumberCell(row[cA], item.approved, `${ins.code} approved`);
    }
  }
  assert.equal(t.rows.length, k);
  assert.ok(j.instruments.some((i) => i.total.approved >= 3), 'the approved sheets are counted');
});

/** The parents workbook against the JSON view: units, then the statements on a sheet of their own. */
async function checkParents() {
  const { j, book } = await jsonAndXlsx(F.kg, 'parents', T.doo.token);
  assert.equal(book.sheets.length, 2, 'the statements have a sheet of their own');
  const t = tableOf(book.sheets[0], book.bold);
  const cR = col(t.header, 'Ответов');
  const cSat = col(t.header, 'Удовлетворённость');
  assertNumberCell(t.rows[0][cR], j.total.responses, 'total responses');
  assertNumberCell(t.rows[0][cSat], j.total.satisfaction, 'total satisfaction');
  j.items.forEach((item, i) => assertNumberCell(t.rows[i + 1][cR], item.responses, `${item.name} responses`));
  const s = tableOf(book.sheets[1], book.bold);
  const cShare = col(s.header, 'Доля положительных');
  assert.equal(s.rows.length, j.statements.length);
  j.statements.forEach((st, i) => {
    assert.equal(s.rows[i][0].value, st.code);
    assertNumberCell(s.rows[i][cShare], st.share, `${st.code} share`);
  });
  return j;
}

test('parents.xlsx: the same figures as the JSON, the statements on a second sheet', async () => {
  await checkParents();
});

test('parents.xlsx with parent responses counted (after a rollup rebuild)', async () => {
  ok(await parentResponses(), 200, 'POST /admin/rollups/rebuild');
  const j = await checkParents();
  assert.ok(j.total.responses >= 5, `the parent responses count: ${JSON.stringify(j.total)}`);
  assert.ok(j.statements.some((st) => st.answered >= 5), 'the statements count the answers');
});

test('Content-Disposition names the unit and the view (RFC 5987) with an ASCII fallback', async () => {
  const { j, res } = await jsonAndXlsx(F.region, 'children', T.region.token);
  const cd = res.headers.get('content-disposition') || '';
  const ascii = cd.match(/filename="([^"]+)"/)?.[1];
  assert.match(ascii, new RegExp(`^vsok-unit-${F.region}-children-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`), cd);
  const ext = cd.match(/filename\*=UTF-8''(\S+)/)?.[1];
  assert.ok(ext, cd);
  const name = decodeURIComponent(ext);
  assert.ok(name.startsWith(`${j.unit.name} — `), name);
  assert.match(name, /Подразделения-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const c = await download(viewPath(F.kg, 'breakdown', '.csv'), T.doo.token);
  assert.match(c.headers.get('content-disposition') || '', new RegExp(`filename="vsok-unit-${F.kg}-breakdown-[\\d-]+\\.csv"`));
});

// ---------------------------------------------------------------------------------------
// CSV

test('children.csv: BOM, ";" with decimal commas by default, "," with dots; the same numbers as the JSON', async () => {
  const j = ok(await get(viewPath(F.region, 'children'), T.region.token), 200, 'GET children');
  for (const [param, sep, toNumber] of [
    ['', ';', (s) => Number(s.replace(',', '.'))],
    ['&sep=%3B', ';', (s) => Number(s.replace(',', '.'))],
    ['&sep=%2C', ',', Number],
  ]) {
    const r = await download(viewPath(F.region, 'children', '.csv', param), T.region.token);
    assert.equal(r.status, 200, show({ ...r, headers: r.headers }));
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const rows = parseCsv(r.text, sep);
    const [header, total, ...items] = rows;
    assert.equal(header[0], 'Организация');
    const cOverall = header.indexOf('Общий балл');
    const cSubmitted = header.indexOf('Подано');
    assert.ok(cOverall > 0 && cSubmitted > 0, header.join('|'));
    assert.equal(items.length, j.items.length);
    assert.equal(toNumber(total[cSubmitted]), j.total.completion.submitted);
    j.items.forEach((item, i) => {
      assert.equal(items[i][0], item.name);
      assert.equal(toNumber(items[i][cSubmitted]), item.completion.submitted, `${item.name} submitted`);
      if (item.results.overall === null) assert.equal(items[i][cOverall], '');
      else assert.equal(toNumber(items[i][cOverall]), item.results.overall, `${item.name} overall`);
    });
    assert.ok(!rows.flat().some((c) => /^-?\d+(?:[.,]\d+)?e[+-]\d+$/i.test(c)), 'no number in exponent form');
    const decimals = rows.flat().filter((c) => /^\d+[.,]\d+$/.test(c));
    assert.ok(decimals.length > 0, 'some decimal numbers were written');
    assert.ok(
      decimals.every((c) => c.includes(sep === ';' ? ',' : '.')),
      `decimal separator for sep ${sep}: ${decimals.slice(0, 5)}`,
    );
  }
});

test('a formula-looking name: guarded in CSV, a plain string in XLSX', async () => {
  const r = await download(viewPath(F.kg, 'children', '.csv'), T.doo.token);
  assert.equal(r.status, 200);
  const rows = parseCsv(r.text, ';');
  assert.ok(
    rows.some((row) => row[0] === `'${F.formulaName}`),
    `no guarded cell for the group: ${rows.map((x) => x[0]).join(' | ')}`,
  );
  assert.ok(!rows.some((row) => row[0] === F.formulaName), 'the formula went out unguarded');
  const x = await download(viewPath(F.kg, 'children', '.xlsx'), T.doo.token);
  const book = readXlsx(x.buf);
  const cells = [...book.sheets[0].rows.values()].flatMap((m) => [...m.values()]);
  const cell = cells.find((c) => c.value === F.formulaName);
  assert.ok(cell, 'the group is in the workbook');
  assert.equal(cell.t, 's', 'stored as a string, never as a formula');
  const sheetXml = strFromU8(unzipSync(new Uint8Array(x.buf))['xl/worksheets/sheet1.xml']);
  assert.ok(!sheetXml.includes('<f>'), 'no formula in the sheet');
});

test('every view exports in both formats for every role that may see the unit', async () => {
  for (const view of VIEWS) {
    for (const ext of ['.xlsx', '.csv']) {
      for (const [who, unit] of [
        ['region', F.region],
        ['municipal', T.municipal.user.org_unit.id],
        ['doo', F.kg],
      ]) {
        const r = await download(viewPath(unit, view, ext), T[who].token);
        assert.equal(r.status, 200, `${who} ${view}${ext}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.ok(r.buf.length > 0);
      }
    }
  }
});

// ---------------------------------------------------------------------------------------
// Errors

test('bad input: problem+json 4xx, never a file', async () => {
  assertProblem(await get(`/dashboards/units/${F.region}/children.csv?campaign=${F.campaign}&sep=%7C`, T.region.token), 400);
  for (const ext of ['.xlsx', '.csv']) {
    const noCampaign = await get(`/dashboards/units/${F.region}/children${ext}`, T.region.token);
    assertProblem(noCampaign, [400, 422]);
    const badCampaign = await get(`/dashboards/units/${F.region}/breakdown${ext}?campaign=abc`, T.region.token);
    assertProblem(badCampaign, [400, 422]);
    const unknown = await get(`/dashboards/units/${F.region}/parents${ext}?campaign=987654321`, T.region.token);
    assertProblem(unknown, 404);
    // outside the caller's scope: the region for a kindergarten coordinator
    assertProblem(await get(viewPath(F.region, 'completion', ext), T.doo.token), 404);
    assertProblem(await get(viewPath(F.region, 'children', ext), null), 401);
  }
});
