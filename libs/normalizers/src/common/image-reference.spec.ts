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
