import { CairnEventError } from '@cairn/event-schema';
import { ContainerdEventNormalizer } from './containerd.normalizer';

const normalizer = new ContainerdEventNormalizer();
const context = { receivedAt: new Date('2026-11-02T03:04:05.678Z'), rawText: '{}' };
const ID = 'a3f1c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3';
const envelope = (topic: string, event: Record<string, unknown> = { container_id: ID }) => ({
  timestamp: '2026-03-14T21:06:40.123Z',
  namespace: 'k8s.io',
  topic,
  event,
});
const one = (raw: unknown) => normalizer.normalize(raw, context)[0];
const refusal = (raw: unknown) => {
  try {
    normalizer.normalize(raw, context);
    return 'accepted';
  } catch (error) {
    return error instanceof CairnEventError ? error.message : String(error);
  }
};

describe('containerd topics in the action vocabulary', () => {
  it.each([
    ['/containers/create', 'container.create', 'creation'],
    ['/containers/update', 'container.update', 'change'],
    ['/containers/delete', 'container.destroy', 'deletion'],
    ['/tasks/create', 'container.task_create', 'creation'],
    ['/tasks/start', 'container.start', 'start'],
    ['/tasks/exit', 'container.die', 'end'],
    ['/tasks/delete', 'container.task_delete', 'deletion'],
    ['/tasks/oom', 'container.oom', 'end'],
    ['/tasks/exec-added', 'container.exec', 'start'],
    ['/tasks/exec-started', 'container.exec_start', 'start'],
    ['/tasks/paused', 'container.pause', 'end'],
    ['/tasks/resumed', 'container.unpause', 'start'],
    ['/tasks/checkpointed', 'container.checkpoint', 'info'],
    ['/snapshot/prepare', 'snapshot.prepare', 'info'],
    ['/content/blob-deleted', 'content.blob_deleted', 'info'],
  ])('%s is %s (%s), a process event of its container', (topic, action, type) => {
    const document = one(envelope(topic));
    expect(document.event).toMatchObject({ action, type: [type], category: ['process'], outcome: 'success' });
    expect(document.container).toMatchObject({ id: ID, short_id: ID.slice(0, 12), runtime: 'containerd' });
    expect(document.message).toBe(`${topic} ${ID}`);
  });

  it.each([
    ['/images/create', 'image.create', 'creation'],
    ['/images/update', 'image.update', 'change'],
    ['/images/delete', 'image.delete', 'deletion'],
  ])('%s is %s, a package event naming the image', (topic, action, type) => {
    const document = one(envelope(topic, { name: 'docker.io/library/nginx:1.27' }));
    expect(document.event).toMatchObject({ action, type: [type], category: ['package'] });
    expect(document.container).toEqual({ image: { name: 'docker.io/library/nginx', tag: '1.27' } });
    expect(document.message).toBe(`${topic} docker.io/library/nginx:1.27`);
  });

  it('takes a container id from id on container topics only', () => {
    expect(one(envelope('/containers/create', { id: ID })).container?.id).toBe(ID);
    expect(one(envelope('/tasks/start', { id: ID })).container).toBeUndefined();
    expect(one(envelope('/snapshot/prepare', { key: 'k' })).event.category).toEqual(['configuration']);
  });

  it('tells an exec ending from its container ending', () => {
    const exec = one(envelope('/tasks/exit', { container_id: ID, id: 'exec-1', pid: 7, exit_status: 137 }));
    expect(exec.event.action).toBe('container.exec_die');
    expect(exec.process).toEqual({ pid: 7, exec_id: 'exec-1' });
    expect(exec.container?.exit_code).toBe(137);
    const task = one(envelope('/tasks/exit', { container_id: ID, id: ID, pid: 6 }));
    expect(task.event.action).toBe('container.die');
    expect(task.process).toEqual({ pid: 6 });
  });

  it('reads the Kubernetes labels a CRI container carries', () => {
    const document = one(
      envelope('/containers/create', {
        id: ID,
        image: 'registry.example.com/team/app:2',
        labels: {
          'io.kubernetes.pod.namespace': 'payments',
          'io.kubernetes.pod.name': 'checkout-1',
          'io.kubernetes.pod.uid': 'uid-1',
          'io.kubernetes.container.name': 'checkout',
        },
      }),
    );
    expect(document.kubernetes).toEqual({
      namespace: 'payments',
      pod: { name: 'checkout-1', uid: 'uid-1' },
      container: { name: 'checkout' },
    });
    expect(document.container?.image).toEqual({ name: 'registry.example.com/team/app', tag: '2' });
  });

  it('reads an event given as a JSON string', () => {
    expect(
      one({ ...envelope('/tasks/start'), event: JSON.stringify({ container_id: ID }) }).container?.id,
    ).toBe(ID);
  });

  it.each([
    [envelope('/x'), 'containerd event: topic "/x" is not a containerd topic'],
    [envelope('/Tasks/start'), 'containerd event: topic "/Tasks/start" is not a containerd topic'],
    [envelope('/tasks/1start'), 'containerd event: topic "/tasks/1start" is not a containerd topic'],
    [envelope('/tasks/start!'), 'containerd event: topic "/tasks/start!" is not a containerd topic'],
    [{ ...envelope('/tasks/start'), event: '{nope' }, 'containerd event: event is a string that is not JSON'],
    [{ ...envelope('/tasks/start'), timestamp: undefined }, 'containerd event: timestamp is missing'],
    [envelope('/tasks/start', { container_id: 5 }), 'containerd event: event.container_id must be a string'],
    [
      envelope('/tasks/start', { container_id: ID, pid: 'x' }),
      'containerd event: event.pid must be a number',
    ],
    [
      envelope('/tasks/start', { container_id: ID, labels: [] }),
      'containerd event: event.labels must be an object',
    ],
    [
      envelope('/tasks/start', { container_id: ID, labels: { 'io.kubernetes.pod.name': 1 } }),
      'containerd event: event.labels.io.kubernetes.pod.name must be a string',
    ],
    [envelope('/images/delete', { name: 1 }), 'containerd event: event.name must be a string'],
  ])('refuses %j: %s', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it('handles only envelopes with a topic, a namespace and an event', () => {
    expect(normalizer.canHandle(envelope('/tasks/start'))).toBe(true);
    expect(normalizer.canHandle({ ...envelope('/tasks/start'), topic: 'tasks/start' })).toBe(false);
    expect(normalizer.canHandle({ ...envelope('/tasks/start'), namespace: 1 })).toBe(false);
    expect(normalizer.canHandle({ timestamp: 'x', namespace: 'n', topic: '/tasks/start' })).toBe(false);
    expect(normalizer.canHandle([envelope('/tasks/start')])).toBe(false);
  });
});
