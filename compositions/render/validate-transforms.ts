// P&T's input validation for transforms (validate.go), with Kubernetes field-error texts:
// `math.type: Required value: math transform type is required`.

import { CONVERT_FORMATS, CONVERT_TYPES } from './convert-transform.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { configOf, type Config } from './transforms.ts';

/** A Kubernetes field.Error: the field path and the body after it. */
export interface FieldError {
  field: string;
  body: string;
}

function valueRepr(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function required(field: string, detail: string): FieldError {
  return { field, body: `Required value: ${detail}` };
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { field, body: `Invalid value: ${valueRepr(value)}: ${detail}` };
}

/** WrapFieldError: prefixes the field with the path of what contains it. */
export function within(prefix: string, err: FieldError | undefined): FieldError | undefined {
  if (!err) return undefined;
  if (!err.field) return { ...err, field: prefix };
  return { ...err, field: err.field.startsWith('[') ? `${prefix}${err.field}` : `${prefix}.${err.field}` };
}

export function formatFieldError(err: FieldError): string {
  return `${err.field}: ${err.body}`;
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);

function validRegexp(re: string): boolean {
  try {
    compileGoRegexp(re);
    return true;
  } catch (err: unknown) {
    void err;
    return false;
  }
}

function validateMath(m: Config): FieldError | undefined {
  if (!m.type) return required('type', 'math transform type is required');
  const need: Record<string, [string, string]> = {
    Multiply: ['multiply', 'multiply'],
    ClampMin: ['clampMin', 'clamp min'],
    ClampMax: ['clampMax', 'clamp max'],
  };
  const spec = need[String(m.type)];
  if (!spec) return invalid('type', m.type, 'unknown math transform type');
  const [key, words] = spec;
  if (m[key] === undefined || m[key] === null) return required(key, `must specify a value if a ${words} math transform is specified`);
  if (!isInt(m[key])) return invalid(key, m[key], 'must be an integer');
  return undefined;
}

function validatePattern(p: Config): FieldError | undefined {
  switch (p.type ?? '') {
    case 'literal':
    case '':
      if (typeof p.literal !== 'string') return required('literal', 'literal pattern type requires a literal');
      return undefined;
    case 'regexp':
      if (typeof p.regexp !== 'string') return required('regexp', 'regexp pattern type requires a regexp');
      if (!validRegexp(p.regexp)) return invalid('regexp', p.regexp, 'invalid regexp');
      return undefined;
    default:
      return invalid('type', p.type, 'unknown pattern type');
  }
}

function validateString(s: Config): FieldError | undefined {
  if (!s.type) return required('type', 'string transform type is required');
  const has = (k: string): boolean => s[k] !== undefined && s[k] !== null;
  switch (s.type) {
    case 'Format':
      return has('fmt') ? undefined : required('fmt', 'format transform requires a format');
    case 'Convert':
      return has('convert') ? undefined : required('convert', 'convert transform requires a conversion type');
    case 'TrimPrefix':
    case 'TrimSuffix':
      return has('trim') ? undefined : required('trim', 'trim transform requires a trim value');
    case 'Regexp': {
      const r = configOf(s, 'regexp');
      if (!r) return required('regexp', 'regexp transform requires a regexp');
      if (typeof r.match !== 'string' || r.match === '') return required('regexp.match', 'regexp transform requires a match');
      if (!validRegexp(r.match)) return invalid('regexp.match', r.match, 'invalid regexp');
      if (r.group !== undefined && r.group !== null && !isInt(r.group)) return invalid('regexp.group', r.group, 'must be an integer');
      return undefined;
    }
    case 'Join':
      return configOf(s, 'join') ? undefined : required('join', 'join transform requires a join');
    case 'Replace': {
      const r = configOf(s, 'replace');
      if (!r) return required('replace', 'replace transform requires a replace');
      if (typeof r.search !== 'string' || r.search === '') return required('replace.search', 'replace transform requires a search');
      return undefined;
    }
    default:
      return invalid('type', s.type, 'unknown string transform type');
  }
}

function validateConvert(c: Config): FieldError | undefined {
  const format = c.format ?? 'none';
  if (!(CONVERT_FORMATS as readonly unknown[]).includes(format)) return invalid('format', c.format, 'invalid format');
  if (!(CONVERT_TYPES as readonly unknown[]).includes(c.toType)) return invalid('toType', c.toType ?? '', 'invalid type');
  return undefined;
}

/** P&T's ValidateTransform. */
export function validateTransform(t: Config): FieldError | undefined {
  const type = String(t.type ?? '');
  const config = configOf(t, type);
  switch (type) {
    case 'math':
      return config ? within('math', validateMath(config)) : required('math', 'given transform type math requires configuration');
    case 'map':
      if (!config) return required('map', 'given transform type map requires configuration');
      return Object.keys(config).length === 0 ? required('map.pairs', 'at least one pair must be specified if a map transform is specified') : undefined;
    case 'match': {
      if (!config) return required('match', 'given transform type match requires configuration');
      const patterns = Array.isArray(config.patterns) ? (config.patterns as Config[]) : [];
      if (patterns.length === 0) return required('match.patterns', 'at least one pattern must be specified if a match transform is specified');
      for (const [i, p] of patterns.entries()) {
        const err = within(`match.patterns[${i}]`, validatePattern(p));
        if (err) return err;
      }
      return undefined;
    }
    case 'string':
      return config ? within('string', validateString(config)) : required('string', 'given transform type string requires configuration');
    case 'convert':
      return config ? within('convert', validateConvert(config)) : required('convert', 'given transform type convert requires configuration');
    default:
      return invalid('type', type, 'unknown transform type');
  }
}
