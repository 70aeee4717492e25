import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleFiles } from './console-files';

function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-console-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'console.js'), 'export {}');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  writeFileSync(join(dir, 'notes.txt'), 'not a console file');
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'nested', 'inner.js'), '');
  return dir;
}

it('serves the files the build wrote, with their types', () => {
  const files = ConsoleFiles.load(builtConsole());
  expect(files.built).toBe(true);
  expect(files.file('index.html')?.contentType).toBe('text/html; charset=utf-8');
  expect(files.file('console.js')?.body.toString()).toBe('export {}');
});

it('serves nothing outside that flat set: hidden files, other types, folders, paths', () => {
  const files = ConsoleFiles.load(builtConsole());
  for (const name of [
    '.env',
    'notes.txt',
    'nested',
    'nested/inner.js',
    '../index.html',
    '%2e%2e',
    'INDEX.HTML',
  ]) {
    expect(files.file(name)).toBeUndefined();
  }
});

it('says it was not built when the folder is missing', () => {
  const files = ConsoleFiles.load(join(tmpdir(), 'cairn-console-never-built'));
  expect(files.built).toBe(false);
  expect(files.file('index.html')).toBeUndefined();
});
