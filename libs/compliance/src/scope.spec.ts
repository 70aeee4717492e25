import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCOPE, parseScopeDocument, ScopeError } from './scope';

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

  it('refuses what is not YAML, not a mapping, or uses aliases', () => {
    expect(problemsOf('compliance: [')[0]).toMatch(/^not valid YAML/);
    expect(problemsOf('- a\n- b\n')[0]).toMatch(/must hold a mapping/);
    expect(problemsOf('a: &x [1]\ncompliance: { adminUsers: *x }\n')[0]).toMatch(/not valid YAML|alias/i);
  });

  it('reads the shipped example (config/cairn.example.yaml, mounted by docker-compose)', () => {
    const example = readFileSync(join(__dirname, '..', '..', '..', 'config', 'cairn.example.yaml'), 'utf8');
    expect(parseScopeDocument(example).scopes.PCI_DSS?.namespaces).toEqual(['payments']);
  });
});
