import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { formatData, formatTable, outputFormat } from './format.ts';
import { painter } from './colour.ts';
import { startProgress } from './progress.ts';

test('a table pads every column to its widest cell, colour codes not counted', () => {
  const red = painter(true)('red', 'False');
  const out = formatTable(['NAME', 'READY'], [['a', red], ['longer-name', 'True']]);
  assert.equal(stripVTControlCharacters(out), 'NAME          READY\na             False\nlonger-name   True\n');
});

test('yaml lists are a multi-document stream; json lists an array', () => {
  assert.equal(formatData('yaml', [{ a: 1 }, { b: 2 }]), 'a: 1\n---\nb: 2\n');
  assert.deepEqual(JSON.parse(formatData('json', [{ a: 1 }])), [{ a: 1 }]);
});

test('-o refuses a format the verb does not offer, naming the choices', () => {
  assert.throws(() => outputFormat(['table', 'json'])('yaml'), /expected one of table, json/);
  assert.equal(outputFormat()('yaml'), 'yaml');
});

test('no colour codes when colour is off', () => {
  assert.equal(painter(false)('red', 'x'), 'x');
});

test('progress stays quiet for the first second, then writes one line per change off a terminal', () => {
  let t = 0;
  const written: string[] = [];
  const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  const p = startProgress(stream, () => t);
  p.update('1/3');
  t = 1500;
  p.update('2/3');
  p.update('2/3');
  p.update('3/3');
  p.done();
  assert.deepEqual(written, ['2/3\n', '3/3\n']);
});
