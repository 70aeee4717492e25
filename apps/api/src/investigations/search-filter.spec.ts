import { GraphQLError } from 'graphql';
import type { Principal } from '@cairn/api-policy';
import { Framework } from '../compliance/compliance.model';
import { Outcome, SourceKind } from './audit-event.model';
import { toSearchFilter } from './search-filter';

const investigator: Principal = { name: 'ivy', role: 'investigator' };
const auditor: Principal = { name: 'ada', role: 'auditor' };
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const image = (input: string) => toSearchFilter({ image: input }, investigator).image;
const codeOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return 'no error';
};

describe('toSearchFilter', () => {
  it('is an empty filter when none is given', () => {
    const filter = toSearchFilter(undefined, investigator);
    expect(Object.values(filter).every((value) => value === undefined)).toBe(true);
  });

  it('passes every plain condition through under the store’s name for it', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-03-02T00:00:00Z');
    const filter = toSearchFilter(
      {
        from,
        to,
        sourceKinds: [SourceKind.RUNTIME],
        products: ['docker', 'falco'],
        actions: ['pods/exec.create'],
        actor: 'alice',
        namespace: 'payments',
        pod: 'checkout-1',
        containerId: '4f66ad9a0b2e',
        sourceIp: '10.0.0.1',
        text: 'cat /etc/shadow',
      },
      investigator,
    );
    expect(filter).toEqual({
      from,
      to,
      sourceKinds: ['RUNTIME'],
      products: ['docker', 'falco'],
      actions: ['pods/exec.create'],
      outcomes: undefined,
      actor: 'alice',
      namespace: 'payments',
      pod: 'checkout-1',
      containerId: '4f66ad9a0b2e',
      image: undefined,
      sourceIp: '10.0.0.1',
      text: 'cat /etc/shadow',
      controls: undefined,
    });
  });

  it('stores outcomes in lower case, as events are stored', () => {
    const filter = toSearchFilter({ outcomes: [Outcome.FAILURE, Outcome.UNKNOWN] }, investigator);
    expect(filter.outcomes).toEqual(['failure', 'unknown']);
  });

  it('names a control as it is tagged: FRAMEWORK:id', () => {
    const filter = toSearchFilter({ control: { framework: Framework.HIPAA, id: '164.312(b)' } }, auditor);
    expect(filter.controls).toEqual(['HIPAA:164.312(b)']);
  });

  describe('image', () => {
    it('a digest alone matches by digest only', () => {
      expect(image(DIGEST)).toEqual({ digest: DIGEST });
    });

    it('a Docker Hub short name is the canonical name, and the path for registry events', () => {
      expect(image('nginx:1.27')).toEqual({
        name: 'docker.io/library/nginx',
        repository: 'nginx',
        tag: '1.27',
        digest: undefined,
      });
      expect(image('payments/checkout')).toEqual({
        name: 'docker.io/payments/checkout',
        repository: 'payments/checkout',
        tag: undefined,
        digest: undefined,
      });
    });

    it.each([
      ['registry.example.com:5000/payments/checkout:2.14.1', 'registry.example.com:5000/payments/checkout'],
      ['localhost/app:1', 'localhost/app'],
      ['registry:5000/app', 'registry:5000/app'],
    ])('%s names its registry, so no path-only match', (input, name) => {
      expect(image(input)).toMatchObject({ name, repository: undefined });
    });

    it('keeps a digest given with a name', () => {
      expect(image(`nginx:1.27@${DIGEST}`)).toEqual({
        name: 'docker.io/library/nginx',
        repository: 'nginx',
        tag: '1.27',
        digest: DIGEST,
      });
    });

    it('refuses what is not an image reference, naming the argument', () => {
      expect(codeOf(() => image('Not An Image!'))).toBe('BAD_USER_INPUT');
      expect(() => image('UPPER/case')).toThrow('filter.image: not an image reference or sha256 digest');
    });
  });

  it('refuses a filter on a field the role may not read, and allows it to a role that may', () => {
    expect(codeOf(() => toSearchFilter({ sourceIp: '10.0.0.1' }, auditor))).toBe('FORBIDDEN');
    expect(codeOf(() => toSearchFilter({ sourceIp: '10.0.0.1' }, undefined))).toBe('FORBIDDEN');
    expect(toSearchFilter({ sourceIp: '10.0.0.1' }, investigator).sourceIp).toBe('10.0.0.1');
    expect(toSearchFilter({ namespace: 'payments' }, auditor).namespace).toBe('payments');
  });
});
