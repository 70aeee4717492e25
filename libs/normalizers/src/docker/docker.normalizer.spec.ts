import { CairnEventError } from '@cairn/event-schema';
import { DockerEventNormalizer } from './docker.normalizer';

const normalizer = new DockerEventNormalizer();
const ID = '7b2f4c6e8a0d1f3e5b7c9a1d3f5e7b9c1a3d5f7e9b1c3a5d7f9e1b3c5a7d9f1e';
const event = (Type: string, Action: string, Attributes: Record<string, unknown> = {}, actorId = ID) => ({
  Type,
  Action,
  Actor: { ID: actorId, Attributes },
  time: 1773522400,
  // JSON.parse reads Docker's timeNano like this, rounded past 2^53.
  timeNano: Number('1773522400123456789'),
});
const normalize = (raw: object) =>
  normalizer.normalize(raw, {
    receivedAt: new Date('2026-11-02T03:04:05.678Z'),
    rawText: JSON.stringify(raw),
  })[0];
const refusal = (raw: object) => {
  try {
    normalize(raw);
    return 'accepted';
  } catch (error) {
    return error instanceof CairnEventError ? error.message : String(error);
  }
};

describe('Docker actions in the action vocabulary', () => {
  it.each([
    ['create', 'creation'],
    ['start', 'start'],
    ['restart', 'start'],
    ['unpause', 'start'],
    ['stop', 'end'],
    ['die', 'end'],
    ['kill', 'end'],
    ['oom', 'end'],
    ['pause', 'end'],
    ['destroy', 'deletion'],
    ['rename', 'change'],
    ['update', 'change'],
    ['attach', 'info'],
  ])('container %s is of type %s', (verb, type) => {
    const document = normalize(event('container', verb, { name: 'web', image: 'nginx:1.27' }));
    expect(document.event).toMatchObject({
      action: `container.${verb}`,
      type: [type],
      category: ['process'],
    });
    expect(document.container).toMatchObject({
      id: ID,
      name: 'web',
      runtime: 'docker',
      image: { name: 'docker.io/library/nginx', tag: '1.27' },
    });
    expect(document.message).toBe(`container ${verb} web`);
  });

  it.each([
    ['image', 'pull', 'access', 'package'],
    ['image', 'push', 'creation', 'package'],
    ['image', 'import', 'creation', 'package'],
    ['image', 'load', 'creation', 'package'],
    ['image', 'tag', 'change', 'package'],
    ['image', 'untag', 'deletion', 'package'],
    ['image', 'delete', 'deletion', 'package'],
    ['network', 'connect', 'connection', 'network'],
    ['network', 'disconnect', 'end', 'network'],
    ['network', 'remove', 'deletion', 'network'],
    ['volume', 'mount', 'access', 'file'],
    ['volume', 'unmount', 'end', 'file'],
    ['plugin', 'enable', 'info', 'configuration'],
  ])('%s %s is of type %s in category %s', (type, verb, eventType, category) => {
    const document = normalize(event(type, verb, { name: 'x' }, type === 'image' ? 'nginx:1.27' : 'n1'));
    expect(document.event).toMatchObject({
      action: `${type}.${verb}`,
      type: [eventType],
      category: [category],
    });
  });

  it('reads an exec: its command from the action, its exec id, and no reason', () => {
    const document = normalize(event('container', 'exec_create: sh -c id', { name: 'web', execID: 'e1' }));
    expect(document.event.action).toBe('container.exec');
    expect(document.event.reason).toBeUndefined();
    expect(document.process).toEqual({ command_line: 'sh -c id', exec_id: 'e1' });
    expect(normalize(event('container', 'exec_start: sh', { name: 'web' })).event.action).toBe(
      'container.exec_start',
    );
  });

  it('keeps the detail after a colon as the reason, and the exit code as a number', () => {
    const health = normalize(event('container', 'health_status: unhealthy', { name: 'web' }));
    expect(health.event).toMatchObject({ action: 'container.health_status', reason: 'unhealthy' });
    expect(normalize(event('container', 'health_status:', { name: 'web' })).event.reason).toBeUndefined();
    expect(normalize(event('container', 'die', { name: 'web', exitCode: '137' })).container?.exit_code).toBe(
      137,
    );
    expect(normalize(event('container', 'die', { name: 'web', exitCode: '-1' })).container?.exit_code).toBe(
      -1,
    );
    expect(
      normalize(event('container', 'die', { name: 'web', exitCode: 'x1' })).container?.exit_code,
    ).toBeUndefined();
  });

  it('names images by the actor, or by its name attribute when the actor is a digest', () => {
    expect(normalize(event('image', 'pull', {}, 'nginx:1.27')).container?.image?.name).toBe(
      'docker.io/library/nginx',
    );
    const byDigest = normalize(event('image', 'delete', { name: 'redis:7' }, `sha256:${'a'.repeat(64)}`));
    expect(byDigest.container?.image).toMatchObject({ name: 'docker.io/library/redis', tag: '7' });
    expect(
      normalize({ ...event('container', 'start', { name: 'web' }), from: 'alpine:3' }).container?.image?.name,
    ).toBe('docker.io/library/alpine');
  });

  it('names networks and volumes, and the container they concern', () => {
    const network = normalize(event('network', 'connect', { name: 'bridge', container: ID }, 'n1'));
    expect(network.network).toEqual({ name: 'bridge' });
    expect(network.container).toMatchObject({ id: ID, short_id: ID.slice(0, 12) });
    expect(normalize(event('volume', 'mount', { container: ID }, 'data')).volume).toEqual({ name: 'data' });
  });

  it('takes the time from timeNano, else from time', () => {
    expect(normalize(event('container', 'start'))['@timestamp']).toBe('2026-03-14T21:06:40.123Z');
    const { timeNano: _n, ...withoutNano } = event('container', 'start');
    expect(normalize(withoutNano)['@timestamp']).toBe('2026-03-14T21:06:40.000Z');
  });

  it('gives events a few nanoseconds apart different ids, though JSON rounds timeNano', () => {
    const raw = (nanos: string) =>
      `{"Type":"container","Action":"start","Actor":{"ID":"${ID}","Attributes":{}},"time":1773522400,"timeNano":${nanos}}`;
    const idOf = (text: string) =>
      normalizer.normalize(JSON.parse(text), {
        receivedAt: new Date('2026-11-02T03:04:05.678Z'),
        rawText: text,
      })[0].event.id;
    expect(idOf(raw('1773522400123456789'))).not.toBe(idOf(raw('1773522400123456790')));
  });

  it.each([
    [
      { ...event('container', 'start'), time: undefined, timeNano: undefined },
      'docker event: neither timeNano nor time is set',
    ],
    [event('Container-X', 'start'), 'docker event: Type "container-x" is not an object type'],
    [event('container', 'Start!'), 'docker event: Action "Start!" is not a Docker action'],
    [event('container', 'start', { name: 5 }), 'docker event: Actor.Attributes.name must be a string'],
    [{ ...event('container', 'start'), Actor: { ID: 5 } }, 'docker event: Actor.ID must be a string'],
    [
      { ...event('container', 'start'), Actor: { Attributes: [] } },
      'docker event: Actor.Attributes must be an object',
    ],
  ])('refuses %j: %s', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it('handles objects with a Type, an Action and an Actor', () => {
    expect(normalizer.canHandle(event('container', 'start'))).toBe(true);
    expect(normalizer.canHandle({ ...event('container', 'start'), Actor: 'x' })).toBe(false);
    expect(normalizer.canHandle({ ...event('container', 'start'), Type: 1 })).toBe(false);
    expect(normalizer.canHandle({ ...event('container', 'start'), Action: undefined })).toBe(false);
    expect(normalizer.canHandle(null)).toBe(false);
  });
});

describe('events of engines before API 1.22 (status, id, from)', () => {
  const legacy = {
    status: 'die',
    id: ID,
    from: 'nginx:1.27',
    time: 1773522400,
    timeNano: Number('1773522400123456789'),
  };

  it('reads them as the event a newer engine sends for the same thing, under the same id', () => {
    const modern = normalize(event('container', 'die', { image: 'nginx:1.27' }));
    const old = normalize(legacy);
    expect(old.event.id).toBe(modern.event.id);
    expect(old).toMatchObject({
      event: { action: 'container.die', type: ['end'] },
      container: { id: ID, runtime: 'docker', image: { name: 'docker.io/library/nginx', tag: '1.27' } },
    });
  });

  it("takes an id that is no container's, without from, as an image's", () => {
    expect(
      normalize({ status: 'untag', id: 'sha256:' + 'a'.repeat(64), time: 1773522400 }).event.action,
    ).toBe('image.untag');
    expect(normalize({ status: 'pull', id: 'nginx:1.27', time: 1773522400 }).container?.image?.name).toBe(
      'docker.io/library/nginx',
    );
  });

  it('claims only that shape', () => {
    expect(normalizer.canHandle(legacy)).toBe(true);
    expect(normalizer.canHandle({ ...legacy, time: undefined, timeNano: undefined })).toBe(false);
    expect(normalizer.canHandle({ ...legacy, id: 7 })).toBe(false);
    expect(normalizer.canHandle({ ...legacy, Type: 'container' })).toBe(false);
  });
});
