import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html } from './html.ts';

test('every interpolated value is escaped, in text and in attributes', () => {
  const name = '<img src=x onerror="alert(1)">';
  const out = html`<td title="${name}">${name}</td>`.text;
  assert.equal(out, '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>');
  assert.ok(!out.includes('<img'));
});

test('nested templates and lists are not escaped twice; absent values render as nothing', () => {
  const rows = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
  assert.equal(html`<ul>${rows}${undefined}${null}${false}</ul>`.text, '<ul><li>a&amp;b</li><li>c</li></ul>');
  assert.equal(escapeHtml("it's"), 'it&#39;s');
});
