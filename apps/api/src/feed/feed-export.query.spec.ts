import { parseExportQuery } from './feed-export.query';

describe('parseExportQuery', () => {
  it('reads every parameter, lists comma-separated or repeated', () => {
    expect(
      parseExportQuery({
        format: 'cef',
        after: 'abc.def',
        limit: '5000',
        products: ['falco,docker', 'kubernetes'],
        sourceKinds: 'RUNTIME',
        controls: 'PCI_DSS:10.2.1.1,HIPAA:164.312(b)',
        minSeverity: 'medium',
        from: '2026-05-01T00:00:00+02:00',
      }),
    ).toEqual({
      format: 'cef',
      after: 'abc.def',
      limit: 5000,
      filter: {
        products: ['falco', 'docker', 'kubernetes'],
        sourceKinds: ['RUNTIME'],
        controls: ['PCI_DSS:10.2.1.1', 'HIPAA:164.312(b)'],
        minSeverity: 'medium',
        from: new Date('2026-04-30T22:00:00Z'),
      },
    });
  });

  it('defaults to 1000 events from the beginning', () => {
    expect(parseExportQuery({ format: 'ecs' })).toEqual({
      format: 'ecs',
      after: undefined,
      limit: 1000,
      filter: {
        products: undefined,
        sourceKinds: undefined,
        controls: undefined,
        minSeverity: undefined,
        from: undefined,
      },
    });
  });

  it('names every bad parameter', () => {
    expect(
      parseExportQuery({
        format: 'xml',
        limit: '5001',
        products: 'falco,oracle',
        controls: 'SOX:404',
        minSeverity: 'severe',
        from: '2026-05-01',
        colour: 'red',
        after: ['a', 'b'],
      }),
    ).toEqual({
      problems: [
        'colour: unknown parameter (format, after, limit, products, sourceKinds, controls, minSeverity, from)',
        'format: required, one of ecs, ocsf, cef, leef, hec',
        'after: give it once',
        'limit: a whole number from 1 to 5000',
        'products: "oracle" not one of kubernetes, docker, containerd, falco, distribution, harbor, opa, cairn',
        'controls: "SOX:404" is not FRAMEWORK:control (e.g. PCI_DSS:10.2.1.1)',
        'minSeverity: one of informational, low, medium, high, critical',
        'from: an RFC 3339 date-time, e.g. 2026-05-01T00:00:00Z',
      ],
    });
    expect(parseExportQuery({ format: 'ecs', limit: '0' })).toEqual({
      problems: ['limit: a whole number from 1 to 5000'],
    });
    expect(parseExportQuery({ format: 'ecs', limit: '1e3' })).toEqual({
      problems: ['limit: a whole number from 1 to 5000'],
    });
  });
});
