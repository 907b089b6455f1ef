// The back end's house rules that a reader of one file cannot see being broken elsewhere:
// functions stay under 80 lines, problems are answered by kind from the one table in
// http/problem.h, prepared statements take their parameter count from the array, and no
// handler calls another handler (backend/src/README.md, "Vocabulary").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'backend', 'src');
const MAX_LINES = 80;

function cFiles() {
    const out = [];
    for (const folder of readdirSync(SRC)) {
        if (!statSync(join(SRC, folder)).isDirectory()) continue;
        for (const f of readdirSync(join(SRC, folder)))
            if (f.endsWith('.c')) out.push(`${folder}/${f}`);
    }
    return out;
}

// Function definitions as clang-format lays them out: the signature, a line "{", the body,
// a line "}". Returns [{name, line, lines}].
function functions(text) {
    const lines = text.split('\n');
    const out = [];
    for (let i = 1; i < lines.length; i++) {
        if (lines[i] !== '{') continue;
        let start = i - 1;
        while (start > 0 && lines[start - 1].trim() !== '' && !/[;}]$|^#|\*\/$/.test(lines[start - 1]))
            start--;
        let end = i + 1;
        while (end < lines.length && lines[end] !== '}') end++;
        const name = (lines.slice(start, i).join(' ').match(/(\w+)\s*\(/) || [])[1] || '?';
        out.push({ name, line: start + 1, lines: end - start + 1 });
        i = end;
    }
    return out;
}

test(`no function in backend/src is longer than ${MAX_LINES} lines`, () => {
    const long = [];
    let count = 0;
    for (const file of cFiles()) {
        for (const f of functions(readFileSync(join(SRC, file), 'utf8'))) {
            count++;
            if (f.lines > MAX_LINES) long.push(`${file}:${f.line} ${f.name} (${f.lines} lines)`);
        }
    }
    assert.ok(count > 500, `found only ${count} functions: the layout rule no longer matches`);
    assert.deepEqual(long, [], 'split these functions');
});

test('problems are answered by kind: no status, type and title written at a call', () => {
    const triples = [];
    for (const file of cFiles()) {
        if (file.startsWith('http/')) continue;
        const text = readFileSync(join(SRC, file), 'utf8');
        for (const m of text.matchAll(/\b(respond_problem\([^,]+,[^,]+,|problem_new\()\s*\d/g))
            triples.push(`${file}:${text.slice(0, m.index).split('\n').length}`);
    }
    assert.deepEqual(triples, [], 'name a kind of http/problem.h (reply_problem, problem_of)');
});

test('prepared statements take their parameter count from the array', () => {
    const counted = [];
    for (const file of cFiles()) {
        const text = readFileSync(join(SRC, file), 'utf8');
        // db_exec(c, a, sql, params, <a number other than 0>, out): use DB_EXEC
        for (const m of text.matchAll(/\bdb_exec\(([^;]*?),\s*([1-9]\d*)\s*,\s*[^,;]+\);/gs))
            counted.push(`${file}:${text.slice(0, m.index).split('\n').length}`);
    }
    // the few statements that bind the first n of a longer array on purpose
    assert.ok(counted.length <= 8, `count written by hand at:\n${counted.join('\n')}`);
});

test('no handler calls another handler', () => {
    const calls = [];
    for (const file of cFiles()) {
        if (file === 'server/routes.c') continue;
        const text = readFileSync(join(SRC, file), 'utf8');
        for (const m of text.matchAll(/^(?!int handle_).*\bhandle_\w+\(rq, rs\)/gm))
            calls.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${m[0].trim()}`);
    }
    assert.deepEqual(calls, [], 'call the shared function both handlers use');
});
