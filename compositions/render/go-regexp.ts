// Go (RE2) regular expressions run on JS's engine. The pattern is rewritten token by token so
// that what RE2 accepts means the same here (`(?P<n>…)`, flags `i s m U` anywhere, `\A`, `\z`,
// `\Q…\E`, POSIX classes, literal braces, `.` and `^`/`$` around `\n` only), and what RE2 rejects
// (look-around, back-references) is rejected here too.

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const hexEscape = (ch: string): string => {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
};

/** An escape (after the backslash at s[i]); returns the JS text and the index after it. */
function translateEscape(s: string, i: number, inClass: boolean): [string, number] {
  const c = s[i + 1];
  if (c === undefined) throw new Error('trailing backslash at end of expression');
  if (/[^0-9A-Za-z]/.test(c) && c.charCodeAt(0) < 0x80) return [hexEscape(c), i + 2];
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'f':
    case 't':
    case 'n':
    case 'r':
    case 'v':
      return [`\\${c}`, i + 2];
    case 's':
      return [inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]', i + 2];
    case 'S':
      return [inClass ? '\\S' : '[^\\t\\n\\f\\r ]', i + 2];
    case 'a':
      return ['\\x07', i + 2];
    case 'b':
    case 'B':
      if (inClass) throw new Error(`invalid escape sequence: \`\\${c}\``);
      return [`\\${c}`, i + 2];
    case 'A':
      return ['(?<![\\s\\S])', i + 2];
    case 'z':
      return ['(?![\\s\\S])', i + 2];
    case 'x': {
      const braced = /^\{([0-9A-Fa-f]+)\}/.exec(s.slice(i + 2));
      if (braced) return [`\\u{${braced[1]}}`, i + 2 + braced[0].length];
      const two = /^[0-9A-Fa-f]{2}/.exec(s.slice(i + 2));
      if (!two) throw new Error('invalid escape sequence: `\\x`');
      return [`\\x${two[0]}`, i + 4];
    }
    case 'p':
    case 'P': {
      const m = /^(?:\{(\^?)([A-Za-z_]+)\}|([A-Za-z]))/.exec(s.slice(i + 2));
      if (!m) throw new Error(`invalid character class range: \`\\${c}\``);
      const name = m[2] ?? m[3] ?? '';
      const negated = (c === 'P') !== (m[1] === '^');
      const prop = name === 'Any' ? 'Any' : /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
      return [`\\${negated ? 'P' : 'p'}{${prop}}`, i + 2 + m[0].length];
    }
    case 'Q': {
      const endAt = s.indexOf('\\E', i + 2);
      const literal = endAt < 0 ? s.slice(i + 2) : s.slice(i + 2, endAt);
      return [[...literal].map(hexEscape).join(''), endAt < 0 ? s.length : endAt + 2];
    }
    default:
      if (/[0-7]/.test(c)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1))?.[0] ?? '';
        if (c !== '0' && oct.length < 2) throw new Error(`invalid escape sequence: \`\\${c}\``);
        return [hexEscape(String.fromCharCode(Number.parseInt(oct, 8))), i + 1 + oct.length];
      }
      throw new Error(`invalid escape sequence: \`\\${c}\``);
  }
}

function charClass(s: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (s[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ']' && !first) return [`${out}]`, i + 1];
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(i));
    if (posix) {
      const set = POSIX[posix[2] ?? ''];
      if (!set) throw new Error(`invalid character class range: \`${posix[0]}\``);
      if (posix[1]) throw new Error('negated POSIX classes are not supported');
      out += set;
      i += posix[0].length;
    } else if (c === '\\') {
      const [text, next] = translateEscape(s, i, true);
      out += text;
      i = next;
    } else if (c === '[' || c === ']' || c === '/' || c === '{' || c === '}' || c === '|' || c === '(' || c === ')') {
      out += hexEscape(c);
      i++;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
      out += ch;
      i += ch.length;
    }
  }
  throw new Error(`missing closing ]: \`${s.slice(start)}\``);
}

interface Level {
  dotAll: boolean;
  /** Go's (?m): ^ and $ also match at \n only (JS would also take \r and U+2028/9). */
  multiline: boolean;
  /** Go's (?U): quantifiers are lazy unless followed by '?'. */
  ungreedy: boolean;
  /** `(?flags:` groups opened for mid-group `(?flags)`, closed at `|` and at the group's end. */
  opened: string[];
}

/** After a quantifier: under (?U) a bare quantifier turns lazy and a '?' turns it greedy again. */
function greediness(pattern: string, i: number, ungreedy: boolean, emit: (text: string) => void): number {
  const lazyMark = pattern[i] === '?';
  if (!ungreedy) {
    if (lazyMark) emit('?');
    return lazyMark ? i + 1 : i;
  }
  if (!lazyMark) emit('?');
  return lazyMark ? i + 1 : i;
}

/** Translates a Go regexp to JS source and flags; throws where Go's regexp.Compile would. */
export function translateGoRegexp(pattern: string): { source: string; flags: string } {
  const stack: Level[] = [{ dotAll: false, multiline: false, ungreedy: false, opened: [] }];
  let out = '';
  let i = 0;
  const top = (): Level => stack[stack.length - 1] as Level;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const [text, next] = translateEscape(pattern, i, false);
      out += text;
      i = next;
    } else if (c === '[') {
      const [text, next] = charClass(pattern, i);
      out += text;
      i = next;
    } else if (c === '.') {
      out += top().dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (c === '^' || c === '$') {
      if (top().multiline) out += c === '^' ? '(?<![^\\n])' : '(?![^\\n])';
      else out += c;
      i++;
    } else if (c === '{') {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (rep) {
        if (Number(rep[1]) > 1000 || Number(rep[3] || 0) > 1000) throw new Error(`invalid repeat count: \`${rep[0]}\``);
        out += rep[0];
        i += rep[0].length;
        i = greediness(pattern, i, top().ungreedy, (t) => (out += t));
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '*' || c === '+' || c === '?') {
      out += c;
      i = greediness(pattern, i + 1, top().ungreedy, (t) => (out += t));
    } else if (c === '}') {
      out += '\\}';
      i++;
    } else if (c === '|') {
      const level = top();
      out += `${')'.repeat(level.opened.length)}|${level.opened.join('')}`;
      i++;
    } else if (c === ')') {
      const level = stack.pop();
      if (!level || stack.length === 0) throw new Error(`unexpected ): \`${pattern}\``);
      out += `${')'.repeat(level.opened.length)})`;
      i++;
    } else if (c === '(') {
      const rest = pattern.slice(i);
      const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
      const flagged = /^\(\?([imsU-]+)(:|\))/.exec(rest);
      const parent = top();
      if (named) {
        out += `(?<${named[1]}>`;
        stack.push({ ...top(), opened: [] });
        i += named[0].length;
      } else if (flagged) {
        const flags = flagged[1] ?? '';
        const [on = '', off = ''] = flags.split('-');
        const flag = (f: string, current: boolean): boolean => (on.includes(f) ? true : off.includes(f) ? false : current);
        const dotAll = flag('s', parent.dotAll);
        const multiline = flag('m', parent.multiline);
        const ungreedy = flag('U', parent.ungreedy);
        // s and m are handled by rewriting '.', '^' and '$'; only i is left to JS.
        const jsOn = on.includes('i') ? 'i' : '';
        const jsOff = off.includes('i') ? 'i' : '';
        const js = jsOn || jsOff ? `(?${jsOn}${jsOff ? `-${jsOff}` : ''}:` : '(?:';
        if (flagged[2] === ':') {
          out += js;
          stack.push({ dotAll, multiline, ungreedy, opened: [] });
        } else {
          out += js;
          top().opened.push(js);
          top().dotAll = dotAll;
          top().multiline = multiline;
          top().ungreedy = ungreedy;
        }
        i += flagged[0].length;
      } else if (rest.startsWith('(?:')) {
        out += '(?:';
        stack.push({ ...top(), opened: [] });
        i += 3;
      } else if (rest.startsWith('(?')) {
        throw new Error(`invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\``);
      } else {
        out += '(';
        stack.push({ ...top(), opened: [] });
        i++;
      }
    } else {
      const ch = String.fromCodePoint(pattern.codePointAt(i) ?? 0);
      out += ch === '/' ? '\\/' : ch;
      i += ch.length;
    }
  }
  if (stack.length !== 1) throw new Error(`missing closing ): \`${pattern}\``);
  out += ')'.repeat(top().opened.length);
  return { source: out, flags: 'u' };
}

/** Go's regexp.Compile, as a JS RegExp with the same meaning. */
export function compileGoRegexp(pattern: string): RegExp {
  const { source, flags } = translateGoRegexp(pattern);
  try {
    return new RegExp(source, flags);
  } catch (err: unknown) {
    throw new Error(`error parsing regexp: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Go's FindStringSubmatch: the match and its groups ('' for a group that did not take part). */
export function findStringSubmatch(re: RegExp, s: string): string[] {
  const m = re.exec(s);
  return m ? Array.from(m, (g) => g ?? '') : [];
}
