import { useEffect, useState } from 'preact/hooks';
import { ask } from './browser/graphql-client';
import { forgetToken, storedToken, storeToken } from './browser/session';
import { ErrorNotice } from './components/error-notice';
import { ConsoleError } from './model/error-sentence';
import { VIEWER } from './model/queries';
import { PAGES, parseRoute, routeHref, type Page, type Route } from './model/routes';
import { ActorPage } from './pages/actor.page';
import { CompliancePage } from './pages/compliance.page';
import { SearchPage } from './pages/search.page';
import { TimelinePage } from './pages/timeline.page';
import type { PageProps, Viewer } from './session';

const TITLES: Record<Page, string> = {
  search: 'Search',
  timeline: 'Timeline',
  actor: 'Actor',
  compliance: 'Compliance',
};

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}

/** Pages keep their form while only the opened event or the page of results changes. */
function pageKey(route: Route): string {
  const { event: _event, after: _after, control: _control, ...criteria } = route.params;
  return routeHref(route.page, criteria);
}

function SignIn({ onSignedIn, error }: { onSignedIn: (token: string) => void; error?: ConsoleError }) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <h1>Cairn</h1>
      <p>
        The audit trail of your container platform. Sign in with your API token; it is kept for this tab only.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSignedIn(token.trim());
        }}
      >
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <button type="submit">Sign in</button>
      </form>
      {error && <ErrorNotice error={error} />}
    </main>
  );
}

function CurrentPage(props: PageProps) {
  switch (props.route.page) {
    case 'search':
      return <SearchPage {...props} />;
    case 'timeline':
      return <TimelinePage {...props} />;
    case 'actor':
      return <ActorPage {...props} />;
    case 'compliance':
      return <CompliancePage {...props} />;
  }
}

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<{ token: string; viewer: Viewer } | undefined>();
  const [error, setError] = useState<ConsoleError | undefined>();
  const [checking, setChecking] = useState(() => storedToken() !== undefined);

  const signIn = (token: string) => {
    setChecking(true);
    ask<{ viewer: Viewer }>(token, VIEWER).then(
      ({ viewer }) => {
        storeToken(token);
        setSession({ token, viewer });
        setError(undefined);
        setChecking(false);
      },
      (failure: unknown) => {
        forgetToken();
        setSession(undefined);
        setError(failure instanceof ConsoleError ? failure : new ConsoleError('BAD_ANSWER', String(failure)));
        setChecking(false);
      },
    );
  };
  useEffect(() => {
    const token = storedToken();
    if (token) signIn(token);
  }, []);

  if (checking) return <p aria-busy="true">Signing in…</p>;
  if (!session) return <SignIn onSignedIn={signIn} error={error} />;
  return (
    <>
      <header class="top">
        <span class="brand">Cairn</span>
        <nav aria-label="Pages">
          {PAGES.map((page) => (
            <a key={page} href={routeHref(page)} aria-current={route.page === page ? 'page' : undefined}>
              {TITLES[page]}
            </a>
          ))}
        </nav>
        <span class="who" data-role={session.viewer.role}>
          {session.viewer.name} ({session.viewer.role})
        </span>
        <button
          type="button"
          onClick={() => {
            forgetToken();
            setSession(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        <CurrentPage key={pageKey(route)} token={session.token} viewer={session.viewer} route={route} />
      </main>
    </>
  );
}
