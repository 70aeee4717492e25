import { DockerEventNormalizer } from '../docker/docker.normalizer';
import { topLevelLiteral } from './top-level-literal';

describe('topLevelLiteral', () => {
  it('reads a top-level number as written, past nested members of the same name', () => {
    const json =
      '{"Actor":{"Attributes":{"timeNano":"1","x":"}{\\"timeNano\\":2"}},"timeNano" : 1773522440500000001}';
    expect(topLevelLiteral(json, 'timeNano')).toBe('1773522440500000001');
  });

  it('reads a quoted number and says nothing of a missing key', () => {
    expect(topLevelLiteral('{"a":{"b":1},"b":"42"}', 'b')).toBe('42');
    expect(topLevelLiteral('{"a":{"b":1}}', 'b')).toBeUndefined();
    expect(topLevelLiteral('[{"b":1}]', 'b')).toBeUndefined();
  });
});

describe('Docker event identity', () => {
  const normalizer = new DockerEventNormalizer();
  const receivedAt = new Date('2026-03-14T21:07:30Z');
  const event = (attributes: Record<string, string>) => ({
    status: 'start',
    id: '7b2f4c6e8a0d1f3e5b7c9a1d3f5e7b9c1a3d5f7e9b1c3a5d7f9e1b3c5a7d9f1e',
    Type: 'container',
    Action: 'start',
    Actor: { ID: '7b2f4c6e8a0d1f3e5b7c9a1d3f5e7b9c1a3d5f7e9b1c3a5d7f9e1b3c5a7d9f1e', Attributes: attributes },
    scope: 'local',
    time: 1773522440,
    timeNano: 1773522440500000000,
  });
  const idOf = (raw: object) =>
    normalizer.normalize(raw, { rawText: JSON.stringify(raw), receivedAt })[0].event.id;

  it('takes timeNano from the event itself, never from an attribute a container author set', () => {
    const plain = idOf(event({ image: 'nginx' }));
    const labelled = idOf(event({ timeNano: '1773522440999999999', image: 'nginx' }));
    const other = idOf({ ...event({ image: 'nginx' }), timeNano: 1773522440600000000 });
    expect(labelled).toBe(plain);
    expect(other).not.toBe(plain);
  });
});
