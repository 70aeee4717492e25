/** ECS event.type of a Kubernetes API verb (also for GKE's account of a request). */
export const EVENT_TYPE_BY_VERB: Readonly<Record<string, string>> = {
  create: 'creation',
  delete: 'deletion',
  deletecollection: 'deletion',
  update: 'change',
  patch: 'change',
  get: 'access',
  list: 'access',
  watch: 'access',
};
