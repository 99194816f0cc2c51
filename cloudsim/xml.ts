/** Just enough XML for S3 request bodies (elements and text; attributes and namespaces ignored) and for writing answers. */

export type XmlNode = { name: string; text: string; children: XmlNode[] };

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

/** The document's root element; throws on anything that is not well-formed enough to read. */
export function parseXml(text: string): XmlNode {
  const stack: XmlNode[] = [{ name: '#document', text: '', children: [] }];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let m = tag.exec(text); m !== null; m = tag.exec(text)) {
    const between = text.slice(last, m.index);
    last = tag.lastIndex;
    const top = stack[stack.length - 1];
    if (top === undefined) throw new Error('xml: unbalanced');
    if (between.includes('<')) throw new Error('xml: stray <');
    top.text += decode(between);
    if (m[5] !== undefined) {
      top.text += m[5];
      continue;
    }
    const name = m[2];
    if (name === undefined) continue; // declaration or comment
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    if (m[1] === '/') {
      if (top.name !== local || stack.length < 2) throw new Error(`xml: unexpected </${name}>`);
      stack.pop();
      continue;
    }
    const node: XmlNode = { name: local, text: '', children: [] };
    top.children.push(node);
    if (m[4] !== '/') stack.push(node);
  }
  if (text.slice(last).trim() !== '' || stack.length !== 1) throw new Error('xml: unclosed element');
  const [root] = stack[0]?.children ?? [];
  if (root === undefined || (stack[0]?.children.length ?? 0) !== 1) throw new Error('xml: expected one root element');
  return root;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

/** Trimmed text of the named child, or undefined when there is no such child. */
export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const found = child(node, name);
  return found === undefined ? undefined : found.text.trim();
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<name>value</name>`, or '' when value is undefined. Strings are escaped; use el() output as raw content in `raw`. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${typeof value === 'string' ? escapeXml(value) : String(value)}</${name}>`;
}

/** `<name>…already XML…</name>` (`<name/>` when empty). */
export function raw(name: string, content: string): string {
  return content === '' ? `<${name}/>` : `<${name}>${content}</${name}>`;
}
