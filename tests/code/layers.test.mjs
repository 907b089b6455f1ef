// The back end's folders form layers (backend/src/README.md): core, db, http, auth at the
// bottom, the subsystems side by side above them, server at the top. An include may name a
// header of its own layer or of a layer below, never one above; every include names its
// folder; the build tracks real header dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'backend', 'src');

const LAYER = { core: 0, db: 1, http: 2, auth: 3, server: 5 };
const SUBSYSTEMS = ['org', 'exchange', 'forms', 'evidence', 'dashboards', 'campaigns',
    'survey', 'experts', 'notify', 'plans', 'analysis'];
for (const s of SUBSYSTEMS) LAYER[s] = 4;

const folders = readdirSync(SRC).filter((f) => statSync(join(SRC, f)).isDirectory());

function sources(folder) {
    return readdirSync(join(SRC, folder)).filter((f) => /\.[ch]$/.test(f));
}

function includes(path) {
    return [...readFileSync(path, 'utf8').matchAll(/^#include "([^"]+)"/gm)].map((m) => m[1]);
}

test('every source file lives in a subsystem folder of a known layer', () => {
    const loose = readdirSync(SRC).filter((f) => /\.[ch]$/.test(f));
    assert.deepEqual(loose, [], 'C files directly in backend/src');
    for (const f of folders) assert.ok(f in LAYER, `folder ${f} has no layer in this test`);
});

test('includes name their folder and never run up a layer', () => {
    const wrong = [];
    for (const folder of folders) {
        for (const file of sources(folder)) {
            for (const inc of includes(join(SRC, folder, file))) {
                if (inc.endsWith('.inc')) continue; // generated tables in build/gen
                const [dir, name] = inc.split('/');
                if (!name || !(dir in LAYER)) {
                    wrong.push(`${folder}/${file}: "${inc}" does not name a folder`);
                } else if (LAYER[dir] > LAYER[folder]) {
                    wrong.push(`${folder}/${file} (layer ${LAYER[folder]}) includes ${inc} (layer ${LAYER[dir]})`);
                }
            }
        }
    }
    assert.deepEqual(wrong, []);
});

test('stores read and write; none takes the response (answers live in *_reply.c and the handlers)', () => {
    const answering = [];
    for (const folder of folders) {
        for (const file of sources(folder).filter((f) => /_store\.[ch]$/.test(f))) {
            const text = readFileSync(join(SRC, folder, file), 'utf8');
            for (const m of text.matchAll(/^[a-z][\w ]*?\**(\w+)\([^)]*\bresponse \*/gm)) answering.push(`${folder}/${file}: ${m[1]}`);
        }
    }
    assert.deepEqual(answering, []);
});

test('the folder map names every folder', () => {
    const map = readFileSync(join(SRC, 'README.md'), 'utf8');
    for (const f of folders) assert.match(map, new RegExp(`\\b${f}/`), `README.md lacks ${f}/`);
});

test('objects depend on the headers they really include', () => {
    const mk = readFileSync(join(ROOT, 'backend', 'build.mk'), 'utf8');
    assert.match(mk, /-MMD -MP/);
    assert.match(mk, /^-include .*\.d/m);
    assert.doesNotMatch(mk, /wildcard backend\/src\/\*\.h/, 'every object on every header');
});
