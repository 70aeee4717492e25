/** The fields of an event the console's lists and lanes show (the `EventRow` fragment). */
export interface EventRow {
  readonly id: string;
  readonly timestamp: string;
  readonly product: string;
  readonly sourceKind: string;
  readonly action: string;
  readonly outcome: 'SUCCESS' | 'FAILURE' | 'UNKNOWN';
  readonly severity: number | null;
  readonly message: string | null;
  readonly actor: { readonly name: string | null };
  readonly container: { readonly id: string | null; readonly name: string | null } | null;
  readonly pod: { readonly name: string | null; readonly namespace: string | null } | null;
  readonly image: { readonly repository: string | null; readonly tag: string | null } | null;
  readonly kubernetes: { readonly resource: string | null; readonly name: string | null } | null;
  readonly rule: { readonly name: string | null; readonly priority: string | null } | null;
}

/** What the event was done to, in a few words: the resource, the container or the image. */
export function subjectOf(event: EventRow): string {
  const k8s = event.kubernetes;
  if (k8s?.resource) return [k8s.resource, k8s.name].filter(Boolean).join('/');
  if (event.container?.name) return event.container.name;
  if (event.image?.repository) return [event.image.repository, event.image.tag].filter(Boolean).join(':');
  return event.container?.id?.slice(0, 12) ?? '';
}

/** A Falco alert: the detection lane's marks stand out from the activity around them. */
export const isAlert = (event: EventRow) => event.sourceKind === 'RUNTIME' && event.rule?.name != null;

/** A request the platform refused (a 403, a denied admission): what investigators look for first. */
export const isRefused = (event: EventRow) => event.outcome === 'FAILURE';
