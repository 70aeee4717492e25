/** Architecture rules: apps are thin entry points over libs; libs never reach up into apps. */
module.exports = {
  forbidden: [
    {
      name: 'libs-not-to-apps',
      comment: 'A library must not depend on an application.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-to-other-apps',
      comment: 'Applications share code only through libs.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-reaching-into-libs',
      comment: 'Use a library through its index.ts (@cairn/<lib>), not its internal files.',
      severity: 'error',
      from: { path: '^(apps|test)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'normalizers-are-pure',
      comment:
        'Normalizers are pure functions: no Kafka, Elasticsearch, sockets or file system (node:net is allowed for its pure isIP).',
      severity: 'error',
      from: { path: '^libs/normalizers/src/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: '(kafkajs|@elastic/|^(node:)?(fs|fs/promises|http|https|http2|dgram|tls|child_process)$)',
      },
    },
    {
      name: 'siem-formats-are-pure',
      comment:
        'Encoders are pure functions of the stored event: no Kafka, Elasticsearch, sockets or file system (node:net only for its pure isIP).',
      severity: 'error',
      from: { path: '^libs/siem-formats/src/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: '(kafkajs|@elastic/|^(node:)?(fs|fs/promises|http|https|http2|dgram|tls|child_process)$|^libs/(kafka|elasticsearch-store|access-audit)/)',
      },
    },
    {
      name: 'json-bytes-is-pure',
      comment: 'Reading JSON bytes is pure: no I/O, and no other Cairn library.',
      severity: 'error',
      from: { path: '^libs/json-bytes/src/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: '(kafkajs|@elastic/|^(node:)?(fs|fs/promises|net|http|https|http2|dgram|tls|child_process)$|^libs/(?!json-bytes/))',
      },
    },
    {
      name: 'integrity-is-pure',
      comment:
        'Chains, checkpoints and verification are pure: the store, the checkpoint log and the clock are passed in (integrity-store does the I/O).',
      severity: 'error',
      from: { path: '^libs/integrity/src/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: '(kafkajs|@elastic/|^(node:)?(fs|fs/promises|net|http|https|http2|dgram|tls|child_process)$|^libs/(kafka|elasticsearch-store|access-audit|integrity-store|pipeline)/)',
      },
    },
    {
      name: 'config-knows-no-feature',
      comment:
        'libs/config holds what every configuration is built from (settings, transports, the CAIRN_CONFIG reader); each feature lib parses its own section and each app composes its configuration.',
      severity: 'error',
      from: { path: '^libs/config/src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/(?!config/)' },
    },
    {
      name: 'console-runs-in-the-browser',
      comment:
        'The console is a browser bundle: its own files and preact only, no Node built-ins, no libs (a spec may compare against them).',
      severity: 'error',
      from: { path: '^apps/console/src/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: '^(apps/console/src/|node_modules/preact/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-test-from-src',
      comment: 'Production code never imports test code.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '(^test/|\\.spec\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
