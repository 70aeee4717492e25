import { parseImageReference } from './image-reference';

describe('parseImageReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['docker.io/library/nginx:latest', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['index.docker.io/bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    ['team/app:2', { registry: 'docker.io', repository: 'team/app', tag: '2' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/app:dev', { registry: 'localhost:5000', repository: 'app', tag: 'dev' }],
    [
      'registry.example.com:5000/team/app:1.2@sha256:' + 'a'.repeat(64),
      {
        registry: 'registry.example.com:5000',
        repository: 'team/app',
        tag: '1.2',
        digest: 'sha256:' + 'a'.repeat(64),
      },
    ],
    [
      'ghcr.io/org/tool@sha256:' + 'b'.repeat(64),
      { registry: 'ghcr.io', repository: 'org/tool', tag: undefined, digest: 'sha256:' + 'b'.repeat(64) },
    ],
    ['[::1]:5000/app:1', { registry: '[::1]:5000', repository: 'app', tag: '1' }],
  ])('%s', (reference, expected) => {
    const parsed = parseImageReference(reference);
    if (expected === undefined) {
      expect(parsed).toBeUndefined();
      return;
    }
    expect(parsed).toMatchObject(expected);
    expect(parsed?.name).toBe(`${expected.registry}/${expected.repository}`);
  });

  it.each(['', 'has space:1', 'UPPER/case', 'app@sha256:short', 'app:bad/tag', ':1', 'app:'])(
    'refuses %j',
    (reference) => {
      expect(parseImageReference(reference)).toBeUndefined();
    },
  );
});

describe('parseImageReference at the edges of the reference grammar', () => {
  const hex = (n: number) => 'a'.repeat(n);

  it.each([
    [`app@sha256:${hex(32)}`, `sha256:${hex(32)}`],
    [`app@sha256:${'AB12'.repeat(16)}`, `sha256:${'AB12'.repeat(16)}`],
    [`app@sha256+b64u.v2_x-y:${hex(40)}`, `sha256+b64u.v2_x-y:${hex(40)}`],
  ])('takes the digest of %s', (reference, digest) => {
    expect(parseImageReference(reference)?.digest).toBe(digest);
  });

  it.each([
    `app@sha256:${hex(31)}`,
    `app@sha256:${'g'.repeat(64)}`,
    `app@SHA256:${hex(64)}`,
    `app@+sha256:${hex(64)}`,
    `app@sha256+:${hex(64)}`,
    `app@:${hex(64)}`,
    `app@sha256${hex(64)}`,
  ])('refuses the digest of %s', (reference) => {
    expect(
      parseImageReference(reference.trimEnd() === reference ? reference : `${reference}x`),
    ).toBeUndefined();
  });

  it('takes tags of 1 to 128 characters that start with a word character', () => {
    expect(parseImageReference(`app:${'t'.repeat(128)}`)?.tag).toBe('t'.repeat(128));
    expect(parseImageReference('app:_x.y-z')?.tag).toBe('_x.y-z');
    expect(parseImageReference(`app:${'t'.repeat(129)}`)).toBeUndefined();
    expect(parseImageReference('app:.x')).toBeUndefined();
    expect(parseImageReference('app:-x')).toBeUndefined();
  });

  it('reads a registry only when the first component has a dot, a port or is localhost', () => {
    expect(parseImageReference('my-registry/app')).toMatchObject({
      registry: 'docker.io',
      repository: 'my-registry/app',
    });
    expect(parseImageReference('registry-1.docker.io/team/app')).toMatchObject({
      registry: 'docker.io',
      repository: 'team/app',
    });
    expect(parseImageReference('registry-1.docker.io/nginx')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/nginx',
    });
    expect(parseImageReference('quay.io/nginx')).toMatchObject({ registry: 'quay.io', repository: 'nginx' });
    expect(parseImageReference('host:443/app')).toMatchObject({ registry: 'host:443', repository: 'app' });
    expect(parseImageReference('[2001:db8::1]/app')).toMatchObject({
      registry: '[2001:db8::1]',
      repository: 'app',
    });
  });

  it.each([
    'host:123456/app',
    'host:/app',
    'ex_ample.com/app',
    '[::1/app',
    'registry.example.com/',
    'registry.example.com//app',
    'team//app',
    'team/app/',
    '-app',
    'app-',
    'a..b',
    'a._b',
    'a-_b',
    'a/.b',
    'app:1@',
  ])('refuses %j', (reference) => {
    expect(parseImageReference(reference)).toBeUndefined();
  });

  it('takes repeated separators inside a component, and path components after a registry', () => {
    expect(parseImageReference('team/my__app--x.y')?.repository).toBe('team/my__app--x.y');
    expect(parseImageReference('registry.example.com/a/b/c:1')).toMatchObject({
      repository: 'a/b/c',
      tag: '1',
    });
  });
});

describe('imageFields', () => {
  it('gives ECS container.image fields, the digest as hash.all', () => {
    const { imageFields } = jest.requireActual<typeof import('./image-reference')>('./image-reference');
    expect(imageFields(`nginx:1@sha256:${'c'.repeat(64)}`)).toEqual({
      name: 'docker.io/library/nginx',
      tag: '1',
      hash: { all: [`sha256:${'c'.repeat(64)}`] },
    });
    expect(imageFields('nginx')).toEqual({
      name: 'docker.io/library/nginx',
      tag: undefined,
      hash: { all: undefined },
    });
    expect(imageFields(undefined)).toBeUndefined();
    expect(imageFields('')).toBeUndefined();
    expect(imageFields('BAD')).toBeUndefined();
  });
});
