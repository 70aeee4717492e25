import { createHash } from 'node:crypto';
import { CATALOG_VERSION, CONTROLS } from './catalog';

/**
 * Stored events carry the catalog version they were tagged with, and `npm run retag` trusts it:
 * a rule changed under an unchanged version would leave events tagged by the old rule looking
 * current. Each version is pinned to the catalog's content; a change needs a new version here.
 */
const CONTENT_OF_VERSION: Readonly<Record<string, string>> = {
  '2026.12.3': 'f89273f3b0ab8d7e8169d936fa522ce194fbd48d1f47a086393ba996849d84ef',
};

it('the catalog version names exactly this catalog content (bump CATALOG_VERSION when a rule changes)', () => {
  const content = createHash('sha256').update(JSON.stringify(CONTROLS)).digest('hex');
  expect({ version: CATALOG_VERSION, content }).toEqual({
    version: CATALOG_VERSION,
    content: CONTENT_OF_VERSION[CATALOG_VERSION],
  });
});
