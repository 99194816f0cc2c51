// P&T's string transform: Format, Convert, TrimPrefix, TrimSuffix, Regexp, Join, Replace.
// Everything but Format and Join first prints the input with Go's %v.

import { createHash } from 'node:crypto';
import { goQuote } from './field-path.ts';
import { goSprintf, goSprintV } from './go-sprintf.ts';
import { compileGoRegexp, findStringSubmatch } from './go-regexp.ts';
import { goJsonMarshal, type GoValue } from './json-value.ts';
import type { Config } from './transforms.ts';

export function stringTransform(t: Config, input: GoValue): string {
  const type = String(t.type ?? '');
  switch (type) {
    case 'Format':
      if (typeof t.fmt !== 'string') throw new Error(`string transform of type ${type} fmt is not set`);
      return goSprintf(t.fmt, [input]);
    case 'Convert':
      if (typeof t.convert !== 'string') throw new Error(`string transform of type ${type} convert is not set`);
      return stringConvert(t.convert, input);
    case 'TrimPrefix':
    case 'TrimSuffix': {
      if (typeof t.trim !== 'string') throw new Error(`string transform of type ${type} trim is not set`);
      const s = goSprintV(input);
      if (type === 'TrimPrefix') return s.startsWith(t.trim) ? s.slice(t.trim.length) : s;
      return t.trim !== '' && s.endsWith(t.trim) ? s.slice(0, s.length - t.trim.length) : s;
    }
    case 'Regexp': {
      const r = t.regexp as Config | undefined;
      if (!r || typeof r !== 'object') throw new Error(`string transform of type ${type} regexp is not set`);
      return stringRegexp(String(r.match ?? ''), typeof r.group === 'number' ? r.group : 0, input);
    }
    case 'Join': {
      const j = t.join as Config | undefined;
      if (!j || typeof j !== 'object') throw new Error(`string transform of type ${type} join is not set`);
      return stringJoin(input, String(j.separator ?? ''));
    }
    case 'Replace': {
      const r = t.replace as Config | undefined;
      if (!r || typeof r !== 'object') throw new Error(`string transform of type ${type} replace is not set`);
      return goSprintV(input).replaceAll(String(r.search ?? ''), String(r.replace ?? ''));
    }
    default:
      throw new Error(`type ${type} is not supported for string transform type`);
  }
}

function stringRegexp(match: string, group: number, input: GoValue): string {
  let re: RegExp;
  try {
    re = compileGoRegexp(match);
  } catch (err: unknown) {
    throw new Error(`could not compile regexp: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const groups = findStringSubmatch(re, goSprintV(input));
  if (groups.length === 0 || group >= groups.length) throw new Error(`regexp ${goQuote(match)} had no matches for group ${group}`);
  return groups[group] as string;
}

/**
 * P&T joins by appending the separator after every element and then cutting one byte off the
 * end, so a separator longer than one byte leaves its head behind ("a, b," for ", "). We do the
 * same so that rendered values match P&T's.
 */
function stringJoin(input: GoValue, separator: string): string {
  if (!Array.isArray(input)) throw new Error('could not parse input array');
  if (input.length === 0) return '';
  const joined = input.map((v) => goSprintf('%v%s', [v, separator])).join('');
  if (separator === '') return joined;
  const bytes = Buffer.from(joined, 'utf8');
  return bytes.subarray(0, bytes.length - 1).toString('utf8');
}

function stringConvert(convert: string, input: GoValue): string {
  const str = (): string => goSprintV(input);
  const bytes = (): Buffer => Buffer.from(typeof input === 'string' ? input : goJsonMarshal(input), 'utf8');
  switch (convert) {
    case 'ToUpper':
      return mapRunes(str(), (c) => c.toUpperCase());
    case 'ToLower':
      return mapRunes(str(), (c) => c.toLowerCase());
    case 'ToJson':
      try {
        return goJsonMarshal(input);
      } catch (err: unknown) {
        throw new Error(`cannot marshal to JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    case 'ToBase64':
      return Buffer.from(str(), 'utf8').toString('base64');
    case 'FromBase64':
      return decodeBase64Strict(str());
    case 'ToSha1':
      return createHash('sha1').update(bytes()).digest('hex');
    case 'ToSha256':
      return createHash('sha256').update(bytes()).digest('hex');
    case 'ToSha512':
      return createHash('sha512').update(bytes()).digest('hex');
    case 'ToAdler32':
      return String(adler32(bytes()));
    default:
      throw new Error(`type ${convert} is not supported for string convert`);
  }
}

/** Go's base64.StdEncoding.DecodeString: padding required, CR and LF ignored, no other slack. */
export function decodeBase64Strict(s: string): string {
  const raw = Buffer.from(s, 'utf8');
  const fail = (at: number): never => {
    throw new Error(`string is not valid base64: illegal base64 data at input byte ${at}`);
  };
  let quantum = 0;
  let done = false;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === 0x0a || b === 0x0d) continue;
    if (done) fail(i);
    if (b === 0x3d) {
      if (quantum < 2) fail(i);
      if (quantum === 2) {
        let j = i + 1;
        while (raw[j] === 0x0a || raw[j] === 0x0d) j++;
        if (raw[j] !== 0x3d) fail(j);
        i = j;
      }
      done = true;
    } else if (/[A-Za-z0-9+/]/.test(String.fromCharCode(b))) quantum = (quantum + 1) % 4;
    else fail(i);
  }
  if (!done && quantum !== 0) fail(raw.length - quantum);
  return Buffer.from(s.replace(/[\r\n]/g, ''), 'base64').toString('utf8');
}

/** Go's strings.ToUpper/ToLower map one rune to one rune; JS may expand (ß → SS) or use context. */
function mapRunes(s: string, fn: (ch: string) => string): string {
  let out = '';
  for (const ch of s) {
    const mapped = fn(ch);
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}
