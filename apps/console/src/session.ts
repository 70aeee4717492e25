import type { Route } from './model/routes';

export interface Viewer {
  readonly name: string;
  readonly role: string;
  readonly mayRead: readonly string[];
  readonly mayFilter: readonly string[];
}

/** What every page is given: who is signed in, with which token, and where the page is. */
export interface PageProps {
  readonly token: string;
  readonly viewer: Viewer;
  readonly route: Route;
}
