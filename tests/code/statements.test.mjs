// Every prepared statement binds as many values as it has placeholders. DB_EXEC and its
// kin (db/db.h) take the count from the array of values (ARRAY_LEN, which does not compile
// for a pointer), and db_exec refuses a statement whose count differs at run time; this
// check finds a difference before anything runs: each source file is put through the C
// preprocessor with the build's flags, and every call that passes ARRAY_LEN(v) with a SQL
// text made of string literals (its column lists and scope macros expanded) has its `?`
// counted against the elements of `db_val v[] = {…}`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'backend', 'src');
const FLAGS = ['-E', '-P', '-std=c11', '-D_GNU_SOURCE', '-I/usr/include/mariadb', `-I${SRC}`, `-I${join(ROOT, 'build', 'gen')}`];
const ARRAY_LEN = /^\(sizeof\((\w+)\) \/ sizeof\(\(\1\)\[0\]\) \+ 0 \* sizeof\(struct \{/;

function cFiles(dir = SRC) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? cFiles(p) : f.endsWith('.c') ? [p] : [];
  });
}

/** The text from `open` (an opening bracket) to its match, split at top-level commas. */
function splitArgs(text, open) {
  const close = { '(': ')', '{': '}' }[text[open]];
  const args = [];
  let depth = 0, start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return { args: args.filter((a, k) => a !== '' || k < args.length - 1), end: i };
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
    if (depth === 0 && close === undefined) break;
  }
  return null;
}

/** The SQL of an argument made only of string literals (in parentheses or not), or null. */
function literalSql(arg) {
  const bare = arg.replace(/^\(+|\)+$/g, '').trim();
  const parts = [...bare.matchAll(/"((?:[^"\\]|\\.)*)"\s*/g)];
  if (!parts.length || parts.map((m) => m[0]).join('').trim() !== bare) return null;
  return parts.map((m) => m[1].replace(/\\(.)/g, '$1')).join('');
}

/** Placeholders of a SQL text: `?` outside its quoted strings. */
function placeholders(sql) {
  return sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''").split('?').length - 1;
}

test('every statement binds as many values as it has placeholders', () => {
  const wrong = [];
  let checked = 0;
  for (const file of cFiles()) {
    const text = execFileSync('cc', [...FLAGS, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const m of text.matchAll(/\b(\w+)\(/g)) {
      const call = splitArgs(text, m.index + m[0].length - 1);
      if (!call) continue;
      const counted = call.args.map((a) => ARRAY_LEN.exec(a)).find(Boolean);
      const sqls = call.args.map(literalSql).filter((s) => s !== null);
      if (!counted || sqls.length !== 1) continue;
      const name = counted[1];
      // the nearest `db_val name[] = {` before the call
      const decl = [...text.slice(0, m.index).matchAll(new RegExp(`\\bdb_val ${name}\\[\\] = \\{`, 'g'))].pop();
      if (!decl) continue; // filled in a loop or sized by hand
      const init = splitArgs(text, decl.index + decl[0].length - 1);
      const values = init.args.filter((a) => a !== '').length;
      const wanted = placeholders(sqls[0]);
      checked++;
      if (values !== wanted)
        wrong.push(`${relative(SRC, file)}: ${m[1]}(… ${wanted} placeholders, ${name}[] has ${values}): ${sqls[0].slice(0, 90)}`);
    }
  }
  assert.ok(checked > 200, `statements checked: ${checked}`);
  assert.deepEqual(wrong, []);
});
