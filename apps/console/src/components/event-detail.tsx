import { ask } from '../browser/graphql-client';
import { useAnswer } from '../browser/use-answer';
import { eventDetailQuery } from '../model/queries';
import { withParam } from '../model/routes';
import type { PageProps } from '../session';
import { ErrorNotice } from './error-notice';

type Detail = Record<string, unknown> & {
  original?: string | null;
  compliance: { framework: string; control: string }[];
};

/** Every set field of a nested answer as `path: value`, in the order the API gave them. */
function fieldsOf(value: unknown, path = ''): [string, string][] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value))
    return value.length === 0
      ? []
      : [[path, value.map((item) => JSON.stringify(item).replace(/^"|"$/g, '')).join(', ')]];
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      key === 'original' || key === 'compliance' ? [] : fieldsOf(inner, path ? `${path}.${key}` : key),
    );
  }
  return [[path, typeof value === 'string' ? value : JSON.stringify(value)]];
}

function prettyOriginal(original: string): string {
  try {
    return JSON.stringify(JSON.parse(original), null, 2);
  } catch {
    return original;
  }
}

/** One event in full, beside the page that listed it; the original only for roles that may read it. */
export function EventDetail({ token, viewer, route, id }: PageProps & { id: string }) {
  const answer = useAnswer(id, () =>
    ask<{ event: Detail | null }>(token, eventDetailQuery(viewer.mayRead), { id }),
  );
  const mayReadOriginal = viewer.mayRead.includes('AuditEvent.original');
  return (
    <aside class="detail" aria-label="Event detail">
      <header>
        <h2>Event</h2>
        <a href={withParam(route, 'event', undefined)} class="close">
          Close
        </a>
      </header>
      {answer.state === 'loading' && <p aria-busy="true">Loading…</p>}
      {answer.state === 'failed' && <ErrorNotice error={answer.error} />}
      {answer.state === 'done' && answer.data.event === null && <p>No stored event has this id.</p>}
      {answer.state === 'done' && answer.data.event && (
        <>
          <dl>
            {fieldsOf(answer.data.event).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <h3>Compliance controls evidenced</h3>
          {answer.data.event.compliance.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul class="controls">
              {answer.data.event.compliance.map((tag) => (
                <li key={`${tag.framework}:${tag.control}`}>
                  {tag.framework.replace('_', ' ')} {tag.control}
                </li>
              ))}
            </ul>
          )}
          <h3>Original</h3>
          {mayReadOriginal ? (
            <pre class="original">{prettyOriginal(answer.data.event.original ?? '')}</pre>
          ) : (
            <p class="withheld">The source’s original event is not shown to the {viewer.role} role.</p>
          )}
        </>
      )}
    </aside>
  );
}
