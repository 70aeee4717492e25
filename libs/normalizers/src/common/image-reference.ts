export interface ImageReference {
  /** Registry host (and port); docker.io when the reference names none. */
  readonly registry: string;
  /** Path inside the registry; Docker Hub's official images gain their implicit library/. */
  readonly repository: string;
  /** registry/repository: one spelling for the same image whichever tool reported it. */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
// Path components and their separators as distribution's grammar has them: ".", "_", "__" or dashes.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const REGISTRY = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+)(?::\d{1,5})?$/;

/**
 * Splits `[registry[:port]/]path[:tag][@digest]` the way the distribution reference grammar does:
 * the first component is a registry only if it has a dot or a port or is localhost, and a colon
 * is a tag separator only after the last slash. Returns undefined for what is not a reference.
 */
export function parseImageReference(reference: string): ImageReference | undefined {
  let rest = reference.trim();
  if (rest === '' || /\s/.test(rest)) return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === '') return undefined;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry && !REGISTRY.test(first)) return undefined;
  let registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!PATH.test(repository)) return undefined;
  return { registry, repository, name: `${registry}/${repository}`, tag, digest };
}

/** The ECS container.image fields of a reference (digest also as hash.all). */
export function imageFields(reference: string | undefined) {
  const parsed = reference ? parseImageReference(reference) : undefined;
  if (!parsed) return undefined;
  return { name: parsed.name, tag: parsed.tag, hash: { all: parsed.digest ? [parsed.digest] : undefined } };
}
