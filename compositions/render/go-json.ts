// Go's encoding/json.Unmarshal into a map or a slice, with Go's error texts: the syntax is
// checked first (as Go's scanner does, naming the offending character), then the value's kind.

import type { JsonValue } from './json-value.ts';

class Scanner {
  readonly s: string;
  i = 0;
  constructor(s: string) {
    this.s = s;
  }

  fail(context: string): never {
    if (this.i >= this.s.length) throw new Error('unexpected end of JSON input');
    throw new Error(`invalid character ${quoteChar(String.fromCodePoint(this.s.codePointAt(this.i) ?? 0))} ${context}`);
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i] as string)) this.i++;
  }

  value(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else this.literal(c);
  }

  /** true, false or null; anything else is not the beginning of a value. */
  literal(c: string | undefined): void {
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit[0]) {
        this.i++;
        for (let k = 1; k < lit.length; k++, this.i++) {
          if (this.s[this.i] !== lit[k]) this.fail(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        return;
      }
    }
    this.fail('looking for beginning of value');
  }

  object(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      this.value();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') {
        this.i--;
        this.fail('after object key:value pair');
      }
    }
  }

  array(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') {
        this.i--;
        this.fail('after array element');
      }
    }
  }

  string(): void {
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('in string literal');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? '')) this.fail('in \\u hexadecimal character escape');
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('in string escape code');
      }
      this.i++;
    }
  }

  number(): void {
    const digit = (): boolean => /[0-9]/.test(this.s[this.i] ?? '');
    if (this.s[this.i] === '-') this.i++;
    if (this.s[this.i] === '0') this.i++;
    else if (digit()) while (digit()) this.i++;
    else this.fail('in numeric literal');
    if (this.s[this.i] === '.') {
      this.i++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.i++;
    }
  }
}

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  // Go's scanner names a byte: a non-ASCII character shows as its first UTF-8 byte.
  const byte = Buffer.from(c, 'utf8')[0] ?? 0;
  const q = JSON.stringify(String.fromCharCode(byte));
  return `'${q.slice(1, -1)}'`;
}

function kindOf(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** json.Unmarshal(s, &out) where out is a map[string]any or an []any (named by goType). */
export function parseGoJson(s: string, goType: 'map[string]interface {}' | '[]interface {}'): JsonValue {
  const scanner = new Scanner(s);
  scanner.value();
  scanner.ws();
  if (scanner.i < s.length) scanner.fail('after top-level value');
  const v = JSON.parse(s) as JsonValue;
  if (v === null) return null;
  const wanted = goType === '[]interface {}' ? 'array' : 'object';
  if (kindOf(v) !== wanted) throw new Error(`json: cannot unmarshal ${kindOf(v)} into Go value of type ${goType}`);
  return v;
}
