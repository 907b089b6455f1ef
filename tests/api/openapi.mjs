// backend/openapi.yaml for the API tests, without packages: a reader for the YAML subset
// the file is written in, and a validator for the JSON Schema keywords it uses.
//
// YAML subset: block mappings and sequences by indentation, `- key: value` items, flow
// collections ({a: b, c: [x, y]}), plain, "double" and 'single' quoted scalars, literal
// (|) and folded (>) block scalars, comments. Anchors, aliases, tags, multi-document
// streams and multi-line plain scalars are refused with an error naming the line, so that
// a spec outgrowing the subset fails loudly instead of being misread.
//
// JSON Schema subset: $ref (local), type (string or list), enum, const, required,
// properties, additionalProperties (false or a schema), items, minItems, maxItems,
// minLength, maxLength, pattern, minimum, maximum, allOf, anyOf, oneOf, nullable (3.0).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './lib.mjs';

// ---------------------------------------------------------------------------------------
// YAML subset

class YamlError extends Error {}

/** Removes a comment (` #...` outside quotes) from a line. */
function stripComment(s) {
  let q = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,]/.test(s[i - 1])) q = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]))) {
      return s.slice(0, i).trimEnd();
    }
  }
  return s.trimEnd();
}

function resolvePlain(s) {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(s)) return Number(s);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (/^[&*!|>%@`]/.test(s)) throw new YamlError(`unsupported YAML construct: ${s}`);
  return s;
}

/** Parses a flow value (scalar, quoted, {..} or [..]) from text; returns [value, nextIndex]. */
function parseFlow(text, i, inFlow) {
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  ws();
  const c = text[i];
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    const out = c === '{' ? {} : [];
    i++;
    for (;;) {
      ws();
      if (text[i] === close) return [out, i + 1];
      if (c === '{') {
        let key;
        [key, i] = parseFlow(text, i, true);
        ws();
        if (text[i] !== ':') throw new YamlError(`expected ':' in flow mapping: ${text}`);
        i++;
        let v;
        ws();
        if (text[i] === ',' || text[i] === '}') v = null;
        else [v, i] = parseFlow(text, i, true);
        out[String(key)] = v;
      } else {
        let v;
        [v, i] = parseFlow(text, i, true);
        out.push(v);
      }
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) throw new YamlError(`expected ',' or '${close}': ${text}`);
    }
  }
  if (c === '"') {
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) throw new YamlError(`unterminated string: ${text}`);
    return [JSON.parse(text.slice(i, j + 1)), j + 1];
  }
  if (c === "'") {
    let j = i + 1;
    let s = '';
    for (;;) {
      if (j >= text.length) throw new YamlError(`unterminated string: ${text}`);
      if (text[j] === "'") {
        if (text[j + 1] === "'") {
          s += "'";
          j += 2;
          continue;
        }
        return [s, j + 1];
      }
      s += text[j++];
    }
  }
  // plain scalar: up to the end, or (in flow) a , ] } or ': '
  let j = i;
  while (j < text.length) {
    if (inFlow && /[,\]}]/.test(text[j])) break;
    if (inFlow && text[j] === ':' && (j + 1 >= text.length || /[\s,\]}]/.test(text[j + 1]))) break;
    j++;
  }
  return [resolvePlain(text.slice(i, j).trim()), j];
}

function parseInline(text, lineNo) {
  try {
    const [v, end] = parseFlow(text, 0, false);
    if (text.slice(end).trim() !== '') throw new YamlError(`trailing text: ${text}`);
    return v;
  } catch (e) {
    throw new YamlError(`line ${lineNo}: ${e.message}`);
  }
}

/** Index of the ':' that separates a mapping key, or -1. */
function keyColon(text) {
  let q = null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = null;
      continue;
    }
    if ((c === '"' || c === "'") && i === 0) q = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ':' && depth === 0 && (i + 1 === text.length || text[i + 1] === ' ')) return i;
  }
  return -1;
}

export function parseYaml(src) {
  const raw = src.replace(/\r\n?/g, '\n').split('\n');
  // lines: { indent, text, no, raw }
  const lines = [];
  for (let n = 0; n < raw.length; n++) {
    const r = raw[n];
    if (/^(---|\.\.\.)\s*$/.test(r)) {
      if (lines.length) throw new YamlError(`line ${n + 1}: one document only`);
      continue;
    }
    if (/\t/.test(r.match(/^\s*/)[0])) throw new YamlError(`line ${n + 1}: tab indentation`);
    const t = stripComment(r);
    if (t.trim() === '') {
      lines.push({ blank: true, no: n + 1, raw: r });
      continue;
    }
    const indent = t.length - t.trimStart().length;
    lines.push({ indent, text: t.trim(), no: n + 1, raw: r });
  }
  let pos = 0;
  const skipBlank = () => {
    while (pos < lines.length && lines[pos].blank) pos++;
  };

  function blockScalar(style, parentIndent) {
    const body = [];
    while (pos < lines.length) {
      const l = lines[pos];
      const ind = l.raw.length - l.raw.trimStart().length;
      if (!l.blank && ind <= parentIndent) break;
      body.push(l.raw);
      pos++;
    }
    while (body.length && body[body.length - 1].trim() === '') body.pop();
    const minInd = Math.min(...body.filter((b) => b.trim()).map((b) => b.length - b.trimStart().length));
    const text = body.map((b) => b.slice(minInd));
    if (style.startsWith('|')) return text.join('\n') + (style === '|-' ? '' : '\n');
    return text.join(' ').replace(/ {2,}/g, ' ') + (style === '>-' ? '' : '\n');
  }

  // value after "key:" (or "-"), at a line whose indent is `indent`
  function valueAfter(rest, indent, lineNo) {
    if (rest === '') {
      skipBlank();
      if (pos >= lines.length) return null;
      const next = lines[pos];
      if (next.indent > indent) return block(next.indent);
      if (next.indent === indent && next.text.startsWith('- ')) return block(indent);
      return null;
    }
    if (/^[|>][-+]?$/.test(rest)) return blockScalar(rest, indent);
    return parseInline(rest, lineNo);
  }

  function block(indent) {
    skipBlank();
    const first = lines[pos];
    if (first.text === '-' || first.text.startsWith('- ')) {
      const out = [];
      while (pos < lines.length) {
        skipBlank();
        const l = lines[pos];
        if (!l || l.indent !== indent || !(l.text === '-' || l.text.startsWith('- '))) break;
        const rest = l.text.slice(1).trimStart();
        if (rest !== '' && (rest.startsWith('- ') || (keyColon(rest) > 0 && !/^[[{]/.test(rest)))) {
          // "- key: value" or "- - item": a collection whose first line starts after the dash
          const inner = indent + (l.text.length - rest.length);
          lines[pos] = { indent: inner, text: rest, no: l.no, raw: ' '.repeat(inner) + rest };
          out.push(block(inner));
        } else {
          pos++;
          out.push(valueAfter(rest, indent, l.no));
        }
      }
      return out;
    }
    const out = {};
    while (pos < lines.length) {
      skipBlank();
      const l = lines[pos];
      if (!l || l.indent < indent) break;
      if (l.indent > indent) throw new YamlError(`line ${l.no}: unexpected indentation`);
      if (l.text.startsWith('- ')) break;
      const ci = keyColon(l.text);
      if (ci <= 0) throw new YamlError(`line ${l.no}: expected "key: value": ${l.text}`);
      const key = String(parseInline(l.text.slice(0, ci), l.no));
      if (Object.hasOwn(out, key)) throw new YamlError(`line ${l.no}: duplicate key ${key}`);
      pos++;
      out[key] = valueAfter(l.text.slice(ci + 1).trim(), indent, l.no);
    }
    return out;
  }

  skipBlank();
  if (pos >= lines.length) return null;
  const doc = block(lines[pos].indent);
  skipBlank();
  if (pos < lines.length) throw new YamlError(`line ${lines[pos].no}: unexpected text: ${lines[pos].text}`);
  return doc;
}

// ---------------------------------------------------------------------------------------
// JSON Schema subset

/** Resolves a local $ref ("#/components/schemas/User") against the document. */
export function deref(doc, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref supported: ${ref}`);
  let v = doc;
  for (const part of ref.slice(2).split('/')) {
    v = v?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (v === undefined) throw new Error(`$ref not found: ${ref}`);
  }
  return v.$ref ? deref(doc, v.$ref) : v;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

const isDeepEqual = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Validates `value` against `schema`; returns a list of "path: message" strings. */
export function validate(doc, schema, value, where = '$') {
  const errs = [];
  if (schema === true || schema === undefined || schema === null) return errs;
  if (schema === false) return [`${where}: no value allowed`];
  if (schema.$ref) return validate(doc, deref(doc, schema.$ref), value, where);
  if (schema.nullable && value === null) return errs;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    const ok = types.some((x) => x === t || (x === 'number' && t === 'integer'));
    if (!ok) return [`${where}: expected ${types.join('|')}, got ${t} ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (schema.const !== undefined && !isDeepEqual(schema.const, value)) {
    errs.push(`${where}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  }
  if (schema.enum && !schema.enum.some((e) => isDeepEqual(e, value))) {
    errs.push(`${where}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') {
    const n = [...value].length;
    if (schema.minLength !== undefined && n < schema.minLength) errs.push(`${where}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && n > schema.maxLength) errs.push(`${where}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errs.push(`${where}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errs.push(`${where}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errs.push(`${where}: above ${schema.maximum}`);
  }
  if (typeOf(value) === 'object') {
    for (const k of schema.required || []) {
      if (!Object.hasOwn(value, k)) errs.push(`${where}: missing required property "${k}"`);
    }
    const props = schema.properties || {};
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(props, k)) errs.push(...validate(doc, props[k], v, `${where}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${where}: unexpected property "${k}"`);
      else if (typeof schema.additionalProperties === 'object') {
        errs.push(...validate(doc, schema.additionalProperties, v, `${where}.${k}`));
      }
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(`${where}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(`${where}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => errs.push(...validate(doc, schema.items, v, `${where}[${i}]`)));
  }
  for (const s of schema.allOf || []) errs.push(...validate(doc, s, value, where));
  if (schema.anyOf && !schema.anyOf.some((s) => validate(doc, s, value, where).length === 0)) {
    errs.push(`${where}: matches none of anyOf`);
  }
  if (schema.oneOf && schema.oneOf.filter((s) => validate(doc, s, value, where).length === 0).length !== 1) {
    errs.push(`${where}: does not match exactly one of oneOf`);
  }
  return errs;
}

// ---------------------------------------------------------------------------------------
// The spec

export const SPEC_FILE = path.join(REPO, 'backend', 'openapi.yaml');
export const loadSpec = () => parseYaml(readFileSync(SPEC_FILE, 'utf8'));
