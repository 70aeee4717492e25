import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OCSF_SCHEMA_DIR, OcsfSchema } from '../../../../test/support/ocsf-schema';

// The specifications shelf beside the repository, where this machine has one.
const PUBLISHED = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'specs', 'ocsf-schema-1.8.0');

/** The schema oracle the golden files rely on must itself notice what is wrong. */
describe('OCSF schema oracle', () => {
  const schema = new OcsfSchema();
  const valid = {
    activity_id: 2,
    category_uid: 6,
    class_uid: 6003,
    type_uid: 600302,
    severity_id: 1,
    time: 1777629600125,
    metadata: { version: '1.8.0', product: { name: 'Kubernetes' } },
    actor: { user: { name: 'alice' } },
    api: { operation: 'get' },
    src_endpoint: { ip: '10.1.2.3' },
  };

  it('accepts a minimal API Activity', () => {
    expect(schema.validate(valid)).toEqual([]);
  });

  it('names a missing required attribute, an unknown one, a bad enum, a wrong type and type_uid', () => {
    const { api: _api, ...withoutApi } = valid;
    expect(
      schema.validate({ ...withoutApi, severity_id: 9, time: '2026-05-01', colour: 'red', type_uid: 600301 }),
    ).toEqual(
      expect.arrayContaining([
        'api_activity.api: required',
        'api_activity.colour: not a known attribute here',
        'api_activity.severity_id: 9 is not one of 0, 1, 2, 3, 4, 5, 6, 99',
        'api_activity.time: must be a timestamp in milliseconds',
        'type_uid: 600301 is not class_uid × 100 + activity_id',
      ]),
    );
  });

  it('checks objects: their required attributes and their at-least-one constraints', () => {
    const problems = schema.validate({
      ...valid,
      actor: {},
      src_endpoint: { port: 443 },
      metadata: { version: '1.8.0' },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^api_activity\.actor: needs at least one of process, user/),
        expect.stringMatching(/^api_activity\.src_endpoint: needs at least one of ip/),
        'api_activity.metadata.product: required',
      ]),
    );
  });

  it('admits profile attributes only when the event names the profile', () => {
    const process = {
      ...valid,
      class_uid: 1007,
      category_uid: 1,
      activity_id: 1,
      type_uid: 100701,
      device: { hostname: 'worker-3', type_id: 0 },
      process: { pid: 1, container: { uid: 'abc' } },
    };
    delete (process as Record<string, unknown>).api;
    delete (process as Record<string, unknown>).src_endpoint;
    expect(schema.validate(process)).toContain(
      'process_activity.process.container: not a known attribute here',
    );
    const profiled = { ...process, metadata: { ...process.metadata, profiles: ['container'] } };
    expect(schema.validate(profiled)).toEqual([]);
  });

  it('refuses a class_uid that names no class', () => {
    expect(schema.validate({ ...valid, class_uid: 6099 })).toEqual(['class_uid 6099 is no OCSF 1.8.0 class']);
  });

  (existsSync(PUBLISHED) ? it : it.skip)('is the published 1.8.0 schema, byte for byte', () => {
    for (const file of [
      'version.json',
      'dictionary.json',
      'events/application/api_activity.json',
      'objects/process.json',
    ]) {
      expect(readFileSync(join(OCSF_SCHEMA_DIR, file), 'utf8')).toBe(
        readFileSync(join(PUBLISHED, file), 'utf8'),
      );
    }
  });
});
