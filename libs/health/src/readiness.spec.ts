import { Readiness } from './readiness';

describe('Readiness', () => {
  it('stays ready through a failure shorter than the threshold, and not longer', async () => {
    let now = 0;
    let kafkaUp = true;
    const readiness = new Readiness(
      [
        { name: 'kafka', check: async () => (kafkaUp ? undefined : Promise.reject(new Error('no broker'))) },
        { name: 'elasticsearch', check: async () => undefined },
      ],
      5000,
      () => now,
    );
    expect((await readiness.report()).ready).toBe(true);
    kafkaUp = false;
    const blip = await readiness.report();
    expect(blip).toEqual({
      ready: true,
      checks: { kafka: { ok: false, error: 'no broker', failingForMs: 0 }, elasticsearch: { ok: true } },
    });
    now = 5000;
    expect((await readiness.report()).ready).toBe(false);
    kafkaUp = true;
    expect((await readiness.report()).ready).toBe(true);
    kafkaUp = false;
    now = 6000;
    expect((await readiness.report()).ready).toBe(true);
  });

  it('with a zero threshold, turns unready at the first failure', async () => {
    const readiness = new Readiness([{ name: 'x', check: () => Promise.reject(new Error('down')) }], 0);
    expect((await readiness.report()).ready).toBe(false);
  });
});
