import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFile, type SectionParser } from './config-file';

const dir = mkdtempSync(join(tmpdir(), 'cairn-config-file-'));
const fileWith = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** A section parser as a feature lib writes one: its own key, its own problems. */
const colours: SectionParser<string[]> = (text, problems) => {
  const match = /^colours: \[(.*)\]$/m.exec(text);
  const found = match ? match[1].split(',').map((colour) => colour.trim()) : [];
  for (const colour of found) if (colour !== 'red') problems.push(`colours: ${colour} is not a colour here`);
  return found;
};

describe('ConfigFile (CAIRN_CONFIG)', () => {
  it('without a file, every section is its fallback and nothing is wrong', () => {
    const problems: string[] = [];
    expect(ConfigFile.read(undefined, problems).section(colours, ['default'], problems)).toEqual(['default']);
    expect(problems).toEqual([]);
  });

  it("hands each section the file's text, and names the file in the section's problems", () => {
    const path = fileWith('good.yaml', 'colours: [red, blue]\nother: {}\n');
    const problems: string[] = [];
    expect(ConfigFile.read(path, problems).section(colours, [], problems)).toEqual(['red', 'blue']);
    expect(problems).toEqual([`CAIRN_CONFIG (${path}): colours: blue is not a colour here`]);
  });

  it('names a file it cannot read, one that is not YAML and one that is not a mapping, once each', () => {
    for (const [path, expected] of [
      [join(dir, 'missing.yaml'), /^CAIRN_CONFIG: cannot read .*missing\.yaml \(ENOENT\)$/],
      [fileWith('broken.yaml', 'colours: [red\n'), /^CAIRN_CONFIG \(.*broken\.yaml\): not valid YAML: \S/],
      [fileWith('list.yaml', '- a\n- b\n'), /^CAIRN_CONFIG \(.*list\.yaml\): the file must hold a mapping/],
      [fileWith('alias.yaml', 'a: &x [1]\ncolours: *x\n'), /^CAIRN_CONFIG \(.*alias\.yaml\): not valid YAML/],
    ] as const) {
      const problems: string[] = [];
      const file = ConfigFile.read(path, problems);
      // The section is not parsed on top: its fallback stands, and the problem is the file's alone.
      expect(file.section(colours, ['default'], problems)).toEqual(['default']);
      expect(problems).toEqual([expect.stringMatching(expected)]);
    }
  });
});
