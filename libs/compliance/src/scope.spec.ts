import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCOPE, parseScopeDocument, parseScopeSection, scopeFingerprint, ScopeError } from './scope';

const problemsOf = (text: string): readonly string[] => {
  try {
    parseScopeDocument(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScopeError);
    return (error as ScopeError).problems;
  }
  throw new Error('expected a ScopeError');
};

describe('parseScopeDocument', () => {
  it('reads the documented example', () => {
    const scope = parseScopeDocument(`
compliance:
  scopes:
    PCI_DSS: { namespaces: [payments] }      # the cardholder data environment
    HIPAA:   { namespaces: [ehr], images: [ehr/api] }
    GDPR:    { namespaces: [crm] }
  adminGroups: [system:masters, platform-admins]
  adminUsers: []
  systemAccounts: ["system:*"]
  auditComponents: { namespaces: [logging], images: [falco, fluent-bit] }
  retention: { days: 400, immediateDays: 90 }
  silenceThresholdMinutes: 15
`);
    expect(scope.scopes.PCI_DSS).toEqual({ namespaces: ['payments'], images: [] });
    expect(scope.scopes.HIPAA?.images).toEqual(['ehr/api']);
    expect(scope.adminGroups).toEqual(['system:masters', 'platform-admins']);
    expect(scope.auditComponents.images).toEqual(['falco', 'fluent-bit']);
    expect(scope.retention).toEqual({ days: 400, immediateDays: 90 });
    expect(scope.silenceThresholdMinutes).toBe(15);
  });

  it('defaults everything when the section is absent', () => {
    expect(parseScopeDocument('other: 1\n')).toEqual(DEFAULT_SCOPE);
    expect(parseScopeDocument('')).toEqual(DEFAULT_SCOPE);
  });

  it('names every problem by its path', () => {
    expect(
      problemsOf(`
compliance:
  scopes: { SOX: { namespaces: [x] }, PCI_DSS: { namespace: [payments] } }
  adminGroups: platform-admins
  systemAccounts: ["bad name"]
  retention: { days: 0 }
  colour: blue
`),
    ).toEqual([
      expect.stringMatching(/^compliance\.colour: unknown key/),
      expect.stringMatching(/^compliance\.scopes\.SOX: unknown framework/),
      expect.stringMatching(/^compliance\.scopes\.PCI_DSS\.namespace: unknown key/),
      'compliance.adminGroups: must be a list of strings',
      expect.stringMatching(/^compliance\.systemAccounts\[0\]: must be a name/),
      'compliance.retention.days: must be a whole number above 0',
    ]);
  });

  it('says exactly what is wrong with each kind of value', () => {
    expect(
      problemsOf(`
compliance:
  scopes: { HIPAA: [ehr], GDPR: { namespaces: crm, images: [ok, 7] } }
  adminUsers: [root, ""]
  auditComponents: logging
  retention: { days: 1.5, immediateDays: 100001 }
  silenceThresholdMinutes: -1
`),
    ).toEqual([
      'compliance.scopes.HIPAA: must be a mapping with namespaces and/or images',
      'compliance.scopes.GDPR.namespaces: must be a list of strings',
      'compliance.scopes.GDPR.images[1]: must be a name of letters, digits and . _ - : / @ * (got 7)',
      'compliance.adminUsers[1]: must be a name of letters, digits and . _ - : / @ * (got "")',
      'compliance.auditComponents: must be a mapping with namespaces and/or images',
      'compliance.retention.days: must be a whole number above 0',
      'compliance.retention.immediateDays: must be a whole number above 0',
      'compliance.silenceThresholdMinutes: must be a whole number above 0',
    ]);
    expect(problemsOf('compliance:\n  scopes: [PCI_DSS]\n')).toEqual([
      'compliance.scopes: must be a mapping of framework to selector',
    ]);
    expect(problemsOf('compliance:\n  retention: 365\n')).toEqual([
      'compliance.retention: must be a mapping with days and immediateDays',
    ]);
    expect(problemsOf('compliance: [a]\n')).toEqual(['compliance: must be a mapping']);
    expect(problemsOf('compliance:\n  colour: blue\n')).toEqual([
      'compliance.colour: unknown key (scopes, adminGroups, adminUsers, systemAccounts, auditComponents, retention, silenceThresholdMinutes)',
    ]);
    expect(problemsOf('compliance:\n  scopes: { SOX: {} }\n')).toEqual([
      'compliance.scopes.SOX: unknown framework (PCI_DSS, HIPAA, GDPR)',
    ]);
    expect(problemsOf('compliance:\n  auditComponents: { pods: [x] }\n')).toEqual([
      'compliance.auditComponents.pods: unknown key (namespaces, images)',
    ]);
  });

  it('keeps the defaults of what is not given, and takes what is, at the bounds', () => {
    const scope = parseScopeDocument(
      'compliance:\n  adminUsers: [ops-*]\n  retention: { days: 100000 }\n  silenceThresholdMinutes: 1\n',
    );
    expect(scope).toEqual({
      ...DEFAULT_SCOPE,
      adminUsers: ['ops-*'],
      retention: { ...DEFAULT_SCOPE.retention, days: 100_000 },
      silenceThresholdMinutes: 1,
    });
    expect(parseScopeDocument('compliance:\n  adminGroups: []\n  systemAccounts: []\n')).toMatchObject({
      adminGroups: [],
      systemAccounts: [],
    });
    expect(DEFAULT_SCOPE.adminGroups.length).toBeGreaterThan(0);
    expect(DEFAULT_SCOPE.systemAccounts.length).toBeGreaterThan(0);
    expect(parseScopeDocument('compliance:\n')).toEqual(DEFAULT_SCOPE);
    expect(parseScopeDocument('compliance:\n  scopes: { PCI_DSS: {} }\n').scopes.PCI_DSS).toEqual({
      namespaces: [],
      images: [],
    });
  });

  it('fingerprints the scope: equal scopes alike, any difference apart', () => {
    const a = parseScopeDocument('compliance:\n  adminUsers: [root]\n');
    expect(scopeFingerprint(a)).toBe(
      scopeFingerprint(parseScopeDocument('compliance:\n  adminUsers: [root]\n')),
    );
    expect(scopeFingerprint(a)).not.toBe(scopeFingerprint(DEFAULT_SCOPE));
    expect(scopeFingerprint(a)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('names the error and prefixes its message', () => {
    try {
      parseScopeDocument('compliance: [a]\n');
    } catch (error) {
      expect((error as Error).name).toBe('ScopeError');
      expect((error as Error).message).toBe('compliance scope: compliance: must be a mapping');
    }
    expect.assertions(2);
  });

  it('refuses what is not YAML, not a mapping, or uses aliases', () => {
    expect(problemsOf('compliance: [')[0]).toMatch(/^not valid YAML/);
    expect(problemsOf('- a\n- b\n')).toEqual(['the file must hold a mapping with a compliance: section']);
    expect(problemsOf('compliance: [')[0]).toMatch(/^not valid YAML: \S/);
    expect(problemsOf('a: &x [1]\ncompliance: { adminUsers: *x }\n')[0]).toMatch(/not valid YAML|alias/i);
  });

  it('as a section of the config file: lists the problems and stands in the defaults, or parses the scope', () => {
    const problems: string[] = [];
    expect(parseScopeSection('compliance: [a]\n', problems)).toBe(DEFAULT_SCOPE);
    expect(problems).toEqual(['compliance: must be a mapping']);
    const none: string[] = [];
    const scope = parseScopeSection('compliance:\n  adminUsers: [root]\n', none);
    expect(none).toEqual([]);
    expect(scope.adminUsers).toEqual(['root']);
  });

  it('reads the shipped example (config/cairn.example.yaml, mounted by docker-compose)', () => {
    const example = readFileSync(join(__dirname, '..', '..', '..', 'config', 'cairn.example.yaml'), 'utf8');
    expect(parseScopeDocument(example).scopes.PCI_DSS?.namespaces).toEqual(['payments']);
  });
});
