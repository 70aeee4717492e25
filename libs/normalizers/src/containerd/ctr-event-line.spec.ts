import { parseCtrEventLine } from './ctr-event-line';

describe('parseCtrEventLine', () => {
  it('turns a ctr events line into the envelope shippers emit, keeping the zone', () => {
    expect(
      parseCtrEventLine(
        '2026-03-14 21:07:12.170123456 +0000 UTC k8s.io /tasks/start {"container_id":"abc","pid":4242}',
      ),
    ).toEqual({
      timestamp: '2026-03-14T21:07:12.170123456+00:00',
      namespace: 'k8s.io',
      topic: '/tasks/start',
      event: { container_id: 'abc', pid: 4242 },
    });
  });

  it('pads a short fraction to nanoseconds, and reads a time without one', () => {
    expect(parseCtrEventLine('2026-03-14 21:07:12.17 -0330 NST default /tasks/exit {}')).toMatchObject({
      timestamp: '2026-03-14T21:07:12.170000000-03:30',
    });
    expect(parseCtrEventLine('2026-03-14 21:07:12 +0530 IST default /tasks/exit {}')).toMatchObject({
      timestamp: '2026-03-14T21:07:12.000000000+05:30',
    });
  });

  it('accepts surrounding whitespace and a JSON body spanning lines', () => {
    expect(
      parseCtrEventLine('  2026-03-14 21:07:12 +0000 UTC default /images/delete {\n"name":"x"\n}\n  '),
    ).toEqual({
      timestamp: '2026-03-14T21:07:12.000000000+00:00',
      namespace: 'default',
      topic: '/images/delete',
      event: { name: 'x' },
    });
  });

  it.each([
    ['no zone name', '2026-03-14 21:07:12 +0000 k8s.io /tasks/start {}'],
    ['a topic without its slash', '2026-03-14 21:07:12 +0000 UTC k8s.io tasks/start {}'],
    ['no JSON body', '2026-03-14 21:07:12 +0000 UTC k8s.io /tasks/start'],
    ['a body that is not JSON', '2026-03-14 21:07:12 +0000 UTC k8s.io /tasks/start {not json}'],
    ['a body that is a list', '2026-03-14 21:07:12 +0000 UTC k8s.io /tasks/start [1]'],
    ['a date in another order', '14-03-2026 21:07:12 +0000 UTC k8s.io /tasks/start {}'],
    ['a time without seconds', '2026-03-14 21:07 +0000 UTC k8s.io /tasks/start {}'],
    ['a fraction of ten digits', '2026-03-14 21:07:12.1234567890 +0000 UTC k8s.io /tasks/start {}'],
    ['an offset without minutes', '2026-03-14 21:07:12 +00 UTC k8s.io /tasks/start {}'],
    ['an offset without a sign', '2026-03-14 21:07:12 0000 UTC k8s.io /tasks/start {}'],
    ['text before the time', 'event: 2026-03-14 21:07:12 +0000 UTC k8s.io /tasks/start {}'],
    ['text after the body', '2026-03-14 21:07:12 +0000 UTC k8s.io /tasks/start {} trailing'],
  ])('refuses %s', (_name, line) => {
    expect(parseCtrEventLine(line)).toBeUndefined();
  });
});
