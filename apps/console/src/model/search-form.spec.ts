import { filterOf, timeOf } from './search-form';

it('asks for nothing when nothing is entered', () => {
  expect(filterOf({})).toEqual({ filter: {} });
  expect(filterOf({ text: '  ', products: ' , ' })).toEqual({ filter: {} });
});

it('turns every field into its EventFilter input', () => {
  expect(
    filterOf({
      text: ' shadow ',
      actor: 'alice',
      actions: 'pods/exec.create, secrets.get',
      products: 'Kubernetes,falco',
      sourceKinds: 'orchestrator, runtime',
      outcomes: 'failure',
      namespace: 'payments',
      pod: 'checkout-x',
      containerId: 'A1B2C3D4E5F6',
      image: 'nginx:1.27',
      cluster: 'prod-eu',
      sourceIp: '10.0.0.1',
      framework: 'PCI_DSS',
      control: '10.2.1.2',
      from: '2026-12-01T10:00',
      to: '2026-12-01T11:00:00+01:00',
    }),
  ).toEqual({
    filter: {
      text: 'shadow',
      actor: 'alice',
      actions: ['pods/exec.create', 'secrets.get'],
      products: ['kubernetes', 'falco'],
      sourceKinds: ['ORCHESTRATOR', 'RUNTIME'],
      outcomes: ['FAILURE'],
      namespace: 'payments',
      pod: 'checkout-x',
      containerId: 'a1b2c3d4e5f6',
      image: 'nginx:1.27',
      cluster: 'prod-eu',
      sourceIp: '10.0.0.1',
      control: { framework: 'PCI_DSS', id: '10.2.1.2' },
      from: '2026-12-01T10:00:00.000Z',
      to: '2026-12-01T10:00:00.000Z',
    },
  });
});

it('names each field it cannot ask with', () => {
  const result = filterOf({
    containerId: 'abc',
    sourceKinds: 'runtime, kernel',
    outcomes: 'maybe',
    control: '10.2.1',
    from: 'yesterday',
  });
  expect(result).toEqual({
    problems: [
      'containerId: 12 to 64 hexadecimal characters',
      'sourceKinds: KERNEL is not one of ORCHESTRATOR, RUNTIME, REGISTRY, POLICY, CAIRN',
      'outcomes: MAYBE is not one of SUCCESS, FAILURE, UNKNOWN',
      'control: choose its framework (PCI_DSS, HIPAA, GDPR)',
      'from: not a time (e.g. 2026-12-01T10:00)',
    ],
  });
});

it('refuses a window that ends before it starts', () => {
  expect(filterOf({ from: '2026-12-02T00:00', to: '2026-12-01T00:00' })).toEqual({
    problems: ['from: must not be after to'],
  });
});

it('reads a bare time as UTC, whatever zone the browser is in', () => {
  expect(timeOf('2026-12-01T10:00')).toBe('2026-12-01T10:00:00.000Z');
  expect(timeOf('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
  expect(timeOf('')).toBeUndefined();
});
