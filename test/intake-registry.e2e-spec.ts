import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOrderlyStop, freePort, startApp, type RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { appEnvironment, eventually, isolatedNames } from './support/local-stack';
import {
  buildOciImage,
  ensureRegistryPeers,
  skopeoCopy,
  startRegistry,
  type OciImage,
  type RunningRegistry,
} from './support/registry-peers';

/**
 * Real peers: Debian's Docker Distribution notifies the intake, skopeo pushes an OCI image built
 * here and pulls it back; Cairn stores the pushes and pulls under the credential's registry name,
 * found by repository and by digest.
 */
const names = isolatedNames('registry');
const investigator = newToken('e2e-registry', 'investigator');
const token = randomBytes(16).toString('hex');
const REGISTRY_NAME = 'registry.e2e.example.com';
const REPOSITORY = `team/app-${randomBytes(3).toString('hex')}`;

let cairn: CairnUnderTest;
let intake: RunningApp;
let registry: RunningRegistry;
let image: OciImage;

beforeAll(async () => {
  ensureRegistryPeers();
  cairn = await startCairn(names, { CAIRN_API_TOKENS: JSON.stringify([investigator.entry]) });
  intake = await startApp(
    'intake',
    {
      ...appEnvironment(names),
      CAIRN_INTAKE_TOKENS: JSON.stringify([
        {
          name: 'e2e-distribution',
          source: 'distribution',
          registry: REGISTRY_NAME,
          sha256: createHash('sha256').update(token).digest('hex'),
        },
      ]),
    },
    await freePort(),
  );
  registry = await startRegistry(await freePort(), {
    url: `${intake.baseUrl}/intake/v1/distribution`,
    token,
  });
  image = await buildOciImage('1.0', `built by the intake test ${names.id}\n`);
}, 180_000);

afterAll(async () => {
  image?.cleanup();
  await registry?.stop();
  const stopped = await intake?.stop();
  await cairn?.stop();
  if (stopped) expectOrderlyStop(stopped);
});

const EVENTS = `query($filter: EventFilter) {
  events(filter: $filter, first: 100) { totalCount edges { node { id action outcome registry { name action repository tag digest artifactKind } } } } }`;

interface Found {
  id: string;
  action: string;
  registry: {
    name: string;
    action: string;
    repository: string;
    tag?: string;
    digest?: string;
    artifactKind?: string;
  };
}

async function search(filter: Record<string, unknown>, until: (found: Found[]) => boolean): Promise<Found[]> {
  return eventually(
    async () => {
      const answer = await graphql<{ events: { edges: { node: Found }[] } }>(
        api(),
        investigator.token,
        EVENTS,
        {
          filter: { products: ['distribution'], ...filter },
        },
      );
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      const found = answer.data!.events.edges.map((edge) => edge.node);
      return until(found) ? found : undefined;
    },
    `registry events for ${JSON.stringify(filter)}`,
    90_000,
    1000,
  );
}

const api = () => cairn.api.baseUrl;
const manifests = (found: Found[], action: string) =>
  found.filter((f) => f.registry.action === action && f.registry.artifactKind === 'manifest');

describe('Docker Distribution notifying the intake', () => {
  it("stores skopeo's push of a built image, by repository, under the credential's registry name", async () => {
    await skopeoCopy(
      `oci:${image.layout}:${image.tag}`,
      `docker://${registry.address}/${REPOSITORY}:${image.tag}`,
    );
    const found = await search({ image: REPOSITORY }, (events) => manifests(events, 'push').length > 0);
    const push = manifests(found, 'push')[0];
    expect(push.registry).toMatchObject({
      name: REGISTRY_NAME,
      repository: REPOSITORY,
      digest: image.manifestDigest,
    });
    expect(found.every((event) => event.registry.name === REGISTRY_NAME)).toBe(true);
  }, 180_000);

  it("stores skopeo's pull, found by the manifest's digest", async () => {
    const out = mkdtempSync(join(tmpdir(), 'cairn-pulled-'));
    try {
      await skopeoCopy(
        `docker://${registry.address}/${REPOSITORY}:${image.tag}`,
        `oci:${join(out, 'layout')}:${image.tag}`,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const found = await search(
      { image: image.manifestDigest },
      (events) => manifests(events, 'pull').length > 0,
    );
    expect(manifests(found, 'pull')[0].registry).toMatchObject({
      repository: REPOSITORY,
      digest: image.manifestDigest,
    });
    expect(manifests(found, 'push')).toHaveLength(1);
  }, 180_000);
});
