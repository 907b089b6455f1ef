// The analytic report as a document (docs/analysis.md, "The document"): one model of blocks
// — headings, paragraphs, tables — made from the report's JSON, which both the A4 print view
// (ReportPage.svelte) and the DOCX file (toDocx) render, so that the two show the same
// numbers. Every number is the API's (the dashboards' figures), rounded once where shown with
// the dashboards' formatScore. No I/O here but the DOCX library's dynamic import.
import { formatScore } from '../forms/instrument.js';
import { formatPercent } from '../../shared/format.js';

const dash = '—';

/** A score as shown (one decimal, halves up). */
export const score = (x, lang) => formatScore(x, lang);

/** A signed difference as shown: «+0,4», «−1,0», «0,0»; «—» without one. */
export function diff(x, lang) {
  if (x === null || x === undefined) return dash;
  const s = formatScore(Math.abs(x), lang);
  const r = Math.floor(Math.abs(x) * 10 + 0.5 + 1e-9);
  return r === 0 ? s : `${x > 0 ? '+' : '−'}${s}`;
}

const pct = (x, lang) => (x === null || x === undefined ? dash : formatPercent(x, lang));
const mean = (fig) => fig?.mean ?? null;
const yesNo = (v, t) => (v === null || v === undefined ? dash : v ? t('report.reached.yes') : t('report.reached.no'));
const targetText = (tp, lang) => (tp ? score(tp.value, lang) : dash);

function levelsRow(levels) {
  return (levels ?? []).slice(0, 5).map((n) => String(n ?? 0));
}

/**
 * The blocks of the document: {kind: 'title' | 'heading' | 'para' | 'meta' | 'table' |
 * 'signature', text, head, rows, testid}.
 */
export function reportBlocks(report, t, lang) {
  const d = report.data ?? {};
  const B = [];
  const h = (text) => B.push({ kind: 'heading', text });
  const p = (text) => B.push({ kind: 'para', text: text || t('report.emptyText') });
  const table = (head, rows, testid) => B.push({ kind: 'table', head, rows, testid });
  const prevYear = d.previous_campaign?.year;

  B.push({ kind: 'title', text: t('report.docTitle') });
  B.push({ kind: 'meta', text: report.unit.name, testid: 'doc-unit' });
  B.push({ kind: 'meta', text: `${report.campaign.title} (${report.campaign.year})` });
  B.push({ kind: 'meta', text: `${t('report.instrument')}: ${report.instrument.title}` });
  if (d.status) B.push({ kind: 'meta', text: t('report.status', { status: d.status }), testid: 'doc-status' });

  h(`1. ${t('report.sec.intro')}`);
  p(report.intro);

  h(`2. ${t('report.sec.completion')}`);
  table(
    [t('report.col.instrument'), t('report.col.source'), t('report.col.expected'), t('report.col.submitted'), t('report.col.approved')],
    (d.completion ?? []).map((c) => [c.title ?? c.code, t(`report.source.${c.source}`), String(c.total.expected), String(c.total.submitted), String(c.total.approved)]),
    'doc-completion',
  );

  h(`3. ${t('report.sec.overall')}`);
  const o = d.overall ?? {};
  table(
    [t('report.col.figure'), t('report.col.value')],
    [
      [t('report.overallScore'), score(mean(o.unit), lang)],
      ...(d.parent_unit ? [[t('report.parentScore', { name: d.parent_unit.name }), score(mean(o.parent), lang)]] : []),
      ...(prevYear ? [[t('report.previousScore', { year: prevYear }), score(mean(o.previous), lang)]] : []),
      [t('report.sheets'), String(o.unit?.n ?? 0)],
    ],
    'doc-overall',
  );
  table([t('report.col.levels'), '1', '2', '3', '4', '5'], [[t('report.levelsRow'), ...levelsRow(o.unit?.levels)]], 'doc-levels');

  h(`4. ${t('report.sec.areas')}`);
  const targetOf = (kind, code) => (d.targets?.items ?? []).find((x) => x.kind === kind && (kind === 'overall' || x.code === code));
  table(
    [t('report.col.area'), t('report.col.score'), ...(prevYear ? [String(prevYear), t('report.col.change')] : []), t('report.col.target'), t('report.col.reached')],
    (d.sections ?? []).map((s, i) => {
      const tg = targetOf('section', s.code);
      const ch = mean(s.unit) !== null && mean(s.previous) !== null ? mean(s.unit) - mean(s.previous) : null;
      return [`${i + 1}. ${s.title ?? s.code}`, score(mean(s.unit), lang), ...(prevYear ? [score(mean(s.previous), lang), diff(ch, lang)] : []), targetText(tg?.target, lang), yesNo(tg?.reached, t)];
    }),
    'doc-areas',
  );

  // above a kindergarten: how many kindergartens (or municipalities) stand at each level
  if (report.unit.level !== 'kindergarten') {
    B.push({ kind: 'para', text: t('report.areaLevels') });
    table(
      [t('report.col.area'), '1', '2', '3', '4', '5'],
      (d.sections ?? []).map((s, i) => [`${i + 1}. ${s.title ?? s.code}`, ...levelsRow(s.unit?.levels)]),
      'doc-area-levels',
    );
  }

  h(`5. ${t('report.sec.ranking')}`);
  const rk = d.ranking ?? {};
  const rankRows = (list) => (list ?? []).map((x) => [`${x.code} ${x.title ?? ''}`.trim(), score(x.mean, lang)]);
  B.push({ kind: 'para', text: t('report.strongAreas') });
  table([t('report.col.area'), t('report.col.score')], rankRows(rk.sections?.strongest), 'doc-strong-areas');
  B.push({ kind: 'para', text: t('report.weakAreas') });
  table([t('report.col.area'), t('report.col.score')], rankRows(rk.sections?.weakest), 'doc-weak-areas');
  B.push({ kind: 'para', text: t('report.strongIndicators') });
  table([t('report.col.indicator'), t('report.col.score')], rankRows(rk.indicators?.strongest));
  B.push({ kind: 'para', text: t('report.weakIndicators') });
  table([t('report.col.indicator'), t('report.col.score')], rankRows(rk.indicators?.weakest));

  h(`6. ${t('report.sec.expert')}`);
  const sv = d.self_vs_expert ?? {};
  table(
    [t('report.col.area'), t('report.col.self'), t('report.col.expert'), t('report.col.gap')],
    [
      ...(sv.sections ?? []).map((s, i) => [`${i + 1}. ${s.title ?? s.code}`, score(mean(s.self), lang), score(mean(s.expert), lang), diff(s.gap, lang)]),
      [t('report.overallScore'), score(mean(sv.overall?.self), lang), score(mean(sv.overall?.expert), lang), diff(sv.overall?.gap, lang)],
    ],
    'doc-expert',
  );

  h(`7. ${t('report.sec.parents')}`);
  if (d.parents) {
    const pt = d.parents.total ?? {};
    table(
      [t('report.col.figure'), t('report.col.value')],
      [
        [t('report.responses'), String(pt.responses ?? 0)],
        [t('report.responseRate'), pct(pt.response_rate, lang)],
        [t('report.satisfaction'), pct(pt.satisfaction, lang)],
      ],
      'doc-parents',
    );
  } else p(t('report.noParents'));

  if (d.children && (d.children.items ?? []).length) {
    h(`8. ${t('report.sec.children')}`);
    table(
      [t('report.col.name'), t('report.col.completion'), t('report.col.score'), t('report.col.target'), t('report.col.reached'), t('report.col.status')],
      d.children.items.map((c) => [c.name, `${c.completion?.submitted ?? 0} / ${c.completion?.expected ?? 0}`, score(c.results?.overall, lang), targetText(c.target, lang), yesNo(c.reached, t), c.status ?? '—']),
      'doc-children',
    );
  }
  // a municipality's or the region's own sheets (the founders' assessment, docs/analysis.md)
  const own = d.children?.own_sheets ?? [];
  if (own.length) {
    B.push({ kind: 'para', text: t('report.ownSheets') });
    table(
      [t('report.col.instrument'), t('report.col.state'), t('report.col.score')],
      own.map((o) => [o.instrument?.title ?? o.instrument?.code ?? '', o.status, score(o.overall, lang)]),
      'doc-own-sheets',
    );
  }

  h(`9. ${t('report.sec.targets')}`);
  const rows = (d.targets?.items ?? []).filter((x) => x.target);
  if (rows.length)
    table(
      [t('report.col.figure'), t('report.col.target'), t('report.col.actual'), t('report.col.reached')],
      rows.map((x) => [x.kind === 'overall' ? t('report.overallScore') : `${x.code} ${x.title ?? ''}`.trim(), score(x.target.value, lang), score(x.actual.mean, lang), yesNo(x.reached, t)]),
      'doc-targets',
    );
  else p(t('report.noTargets'));

  h(`10. ${t('report.sec.conclusions')}`);
  p(report.conclusions);
  h(`11. ${t('report.sec.measures')}`);
  p(report.measures);
  B.push({ kind: 'signature', text: t('report.signature') });
  return B;
}

/** The DOCX file of the blocks (A4, portrait, 2 cm margins), as a Blob. */
export async function toDocx(blocks, title) {
  const x = await import('docx');
  const cell = (text, bold = false) =>
    new x.TableCell({ children: [new x.Paragraph({ children: [new x.TextRun({ text: String(text ?? ''), bold, size: 20 })] })] });
  const children = [];
  for (const b of blocks) {
    if (b.kind === 'title') children.push(new x.Paragraph({ heading: x.HeadingLevel.TITLE, alignment: x.AlignmentType.CENTER, children: [new x.TextRun(b.text)] }));
    else if (b.kind === 'meta') children.push(new x.Paragraph({ alignment: x.AlignmentType.CENTER, children: [new x.TextRun({ text: b.text, bold: true })] }));
    else if (b.kind === 'heading') children.push(new x.Paragraph({ heading: x.HeadingLevel.HEADING_2, children: [new x.TextRun(b.text)] }));
    else if (b.kind === 'para' || b.kind === 'signature')
      for (const line of String(b.text).split('\n')) children.push(new x.Paragraph({ spacing: { before: b.kind === 'signature' ? 480 : 0 }, children: [new x.TextRun(line)] }));
    else if (b.kind === 'table' && b.rows.length)
      children.push(
        new x.Table({
          width: { size: 100, type: x.WidthType.PERCENTAGE },
          rows: [new x.TableRow({ tableHeader: true, children: b.head.map((c) => cell(c, true)) }), ...b.rows.map((r) => new x.TableRow({ children: r.map((c) => cell(c)) }))],
        }),
        new x.Paragraph({ children: [] }),
      );
  }
  const doc = new x.Document({
    creator: 'ВСОК ДО',
    title,
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } }, children }],
  });
  return x.Packer.toBlob(doc);
}
