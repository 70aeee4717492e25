/**
 * The console's pages live after the `#`, so the server serves one page and a reload or a shared
 * link opens the same view: `#/timeline?containerId=…&event=…`. Every parameter is a plain string.
 */
export const PAGES = ['search', 'timeline', 'actor', 'compliance'] as const;
export type Page = (typeof PAGES)[number];

export interface Route {
  readonly page: Page;
  readonly params: Readonly<Record<string, string>>;
}

export const DEFAULT_ROUTE: Route = { page: 'search', params: {} };

export function parseRoute(hash: string): Route {
  const match = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  if (!match) return DEFAULT_ROUTE;
  const page = PAGES.find((candidate) => candidate === match[1]);
  if (!page) return DEFAULT_ROUTE;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(match[2] ?? '')) if (value !== '') params[key] = value;
  return { page, params };
}

export function routeHref(page: Page, params: Readonly<Record<string, string | undefined>> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return `#/${page}${text ? `?${text}` : ''}`;
}

/** The same route with one parameter set (or removed): opening or closing an event's detail. */
export function withParam(route: Route, key: string, value: string | undefined): string {
  return routeHref(route.page, { ...route.params, [key]: value });
}
