import { useState } from 'preact/hooks';
import { ask } from '../browser/graphql-client';
import { useAnswer } from '../browser/use-answer';
import { ErrorNotice, Problems } from '../components/error-notice';
import { EventDetail } from '../components/event-detail';
import { EventsTable } from '../components/events-table';
import { FieldInput } from '../components/field-input';
import { TimeLanes, type DrawnLane } from '../components/time-lanes';
import { subjectOf, type EventRow } from '../model/event-row';
import { TIMELINE } from '../model/queries';
import { routeHref, withParam, type Route } from '../model/routes';
import { extentOf, lanesOf } from '../model/timeline-lanes';
import type { PageProps } from '../session';

interface Page {
  containerTimeline: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    edges: { node: EventRow }[];
  };
}

/** A timeline longer than this is drawn in part and says so: the rest is a search away. */
const MOST_EVENTS = 1000;

type Subject = { containerId: string } | { pod: string; namespace: string };

function subjectOfRoute(params: Route['params']): Subject | { problems: string[] } | undefined {
  const containerId = params.containerId?.trim().toLowerCase();
  if (containerId) {
    return /^[0-9a-f]{12,64}$/.test(containerId)
      ? { containerId }
      : { problems: ['Container id: the full id or at least its first 12 hexadecimal characters'] };
  }
  if (params.pod || params.namespace) {
    return params.pod && params.namespace
      ? { pod: params.pod.trim(), namespace: params.namespace.trim() }
      : { problems: ['A pod is named by its name and its namespace together'] };
  }
  return undefined;
}

async function wholeTimeline(token: string, subject: Subject) {
  const events: EventRow[] = [];
  let after: string | undefined;
  let total = 0;
  do {
    const page: Page = await ask<Page>(token, TIMELINE, { ...subject, after });
    total = page.containerTimeline.totalCount;
    events.push(...page.containerTimeline.edges.map((edge) => edge.node));
    after = page.containerTimeline.pageInfo.hasNextPage
      ? (page.containerTimeline.pageInfo.endCursor ?? undefined)
      : undefined;
  } while (after && events.length < MOST_EVENTS);
  return { events, total };
}

const labelOf = (event: EventRow) =>
  `${event.timestamp} ${event.product} ${event.rule?.name ? `alert: ${event.rule.name}` : event.action} ${event.outcome === 'FAILURE' ? 'refused ' : ''}${subjectOf(event)}`.trim();

/** A container's or a pod's life: one lane per source on one time axis, alerts marked. */
export function TimelinePage(props: PageProps) {
  const { token, route } = props;
  const [form, setForm] = useState({
    containerId: route.params.containerId ?? '',
    pod: route.params.pod ?? '',
    namespace: route.params.namespace ?? '',
  });
  const subject = subjectOfRoute(route.params);
  const ready = subject && !('problems' in subject) ? subject : undefined;
  const answer = useAnswer(ready && JSON.stringify(ready), () => wholeTimeline(token, ready!));
  const set = (name: keyof typeof form, value: string) => setForm({ ...form, [name]: value });
  const submit = (event: Event) => {
    event.preventDefault();
    location.hash = form.containerId.trim()
      ? routeHref('timeline', { containerId: form.containerId })
      : routeHref('timeline', { pod: form.pod, namespace: form.namespace });
  };
  let drawn: { lanes: DrawnLane[]; from: number; to: number } | undefined;
  if (answer.state === 'done') {
    const lanes = lanesOf(answer.data.events);
    const extent = extentOf(lanes);
    drawn = extent && {
      ...extent,
      lanes: lanes.map((lane) => ({
        key: lane.product,
        label: lane.label,
        marks: lane.marks.map((mark) => ({
          key: mark.event.id,
          at: mark.at,
          kind: mark.kind,
          title: labelOf(mark.event),
          href: withParam(route, 'event', mark.event.id),
        })),
      })),
    };
  }
  return (
    <section class="page">
      <h1>Timeline</h1>
      <form class="filters" onSubmit={submit} aria-label="Whose timeline">
        <FieldInput
          form={form}
          name="containerId"
          label="Container id"
          hint="Full, or its first 12 characters"
          onInput={set}
        />
        <p class="or">or</p>
        <FieldInput form={form} name="pod" label="Pod" onInput={set} />
        <FieldInput form={form} name="namespace" label="Namespace" onInput={set} />
        <div class="actions">
          <button type="submit">Show timeline</button>
        </div>
      </form>
      {subject && 'problems' in subject && <Problems problems={subject.problems} />}
      {answer.state === 'loading' && <p aria-busy="true">Loading the timeline…</p>}
      {answer.state === 'failed' && <ErrorNotice error={answer.error} />}
      {answer.state === 'done' && (
        <>
          <p class="total" data-total={answer.data.total}>
            {answer.data.total} events
            {answer.data.total > answer.data.events.length
              ? `; the first ${answer.data.events.length} are drawn`
              : ''}
            .
          </p>
          {drawn ? (
            <>
              <ul class="legend" aria-label="Legend">
                <li class="event">event</li>
                <li class="alert">Falco alert</li>
                <li class="refused">refused</li>
              </ul>
              <TimeLanes
                lanes={drawn.lanes}
                from={drawn.from}
                to={drawn.to}
                label="Events by source on a shared time axis"
              />
            </>
          ) : (
            <p>Nothing stored names this container or pod.</p>
          )}
          <EventsTable events={answer.data.events} route={route} caption="The same events, oldest first" />
        </>
      )}
      {route.params.event && <EventDetail {...props} id={route.params.event} />}
    </section>
  );
}
