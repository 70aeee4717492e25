import { useState } from 'preact/hooks';
import { ask } from '../browser/graphql-client';
import { useAnswer } from '../browser/use-answer';
import { ErrorNotice, Problems } from '../components/error-notice';
import { EventDetail } from '../components/event-detail';
import { EventsTable } from '../components/events-table';
import { FieldInput } from '../components/field-input';
import { Histogram } from '../components/histogram';
import type { EventRow } from '../model/event-row';
import { ACTOR, ACTOR_REFUSED } from '../model/queries';
import { routeHref } from '../model/routes';
import { timeOf } from '../model/search-form';
import { histogramInterval } from '../model/time-axis';
import type { PageProps } from '../session';

interface ActorAnswer {
  eventHistogram: { start: string; count: number }[];
  actions: { key: string; count: number }[];
  events: { totalCount: number; edges: { node: EventRow }[] };
}

const DAY = 24 * 3_600_000;
const barsOf = (buckets: ActorAnswer['eventHistogram']) =>
  buckets.map((bucket) => ({ start: Date.parse(bucket.start), count: bucket.count }));

function windowOf(
  params: Record<string, string>,
  now: number,
): { from: string; to: string } | { problems: string[] } {
  const to = params.to ? timeOf(params.to) : new Date(now).toISOString();
  const from = params.from ? timeOf(params.from) : to && new Date(Date.parse(to) - DAY).toISOString();
  const problems = [
    ...(from ? [] : ['From: not a time (e.g. 2026-12-01T10:00)']),
    ...(to ? [] : ['To: not a time (e.g. 2026-12-01T11:00)']),
  ];
  if (from && to && from > to) problems.push('From must not be after To');
  return problems.length > 0 || !from || !to ? { problems } : { from, to };
}

/** What one identity did: events per interval, its most frequent actions, its refused attempts. */
export function ActorPage(props: PageProps) {
  const { token, route } = props;
  const [form, setForm] = useState({
    actor: route.params.actor ?? '',
    from: route.params.from ?? '',
    to: route.params.to ?? '',
  });
  // Fixed when the page opens: a default window that moved on every render would ask again each time.
  const [now] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  const actor = route.params.actor?.trim();
  const window = windowOf(route.params, now);
  const ready = actor && 'from' in window ? { actor, ...window } : undefined;
  const interval = ready ? histogramInterval(Date.parse(ready.to) - Date.parse(ready.from)) : undefined;
  const answer = useAnswer(ready && JSON.stringify(ready), async () => {
    const filter = { actor: ready!.actor, from: ready!.from, to: ready!.to };
    const [activity, refused] = await Promise.all([
      ask<ActorAnswer>(token, ACTOR, { filter, interval: interval!.interval }),
      ask<{ events: { totalCount: number }; eventHistogram: ActorAnswer['eventHistogram'] }>(
        token,
        ACTOR_REFUSED,
        {
          filter: { ...filter, outcomes: ['FAILURE'] },
          interval: interval!.interval,
        },
      ),
    ]);
    return { ...activity, refused: refused.events.totalCount, refusedHistogram: refused.eventHistogram };
  });
  const set = (name: keyof typeof form, value: string) => setForm({ ...form, [name]: value });
  const submit = (event: Event) => {
    event.preventDefault();
    location.hash = routeHref('actor', form);
  };
  return (
    <section class="page">
      <h1>Actor</h1>
      <form class="filters" onSubmit={submit} aria-label="Which identity">
        <FieldInput
          form={form}
          name="actor"
          label="Actor"
          hint="User or service account name, exact"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="from"
          label="From (UTC)"
          hint="Default: a day before To"
          onInput={set}
        />
        <FieldInput form={form} name="to" label="To (UTC)" hint="Default: now" onInput={set} />
        <div class="actions">
          <button type="submit">Show activity</button>
        </div>
      </form>
      {actor && 'problems' in window && <Problems problems={window.problems} />}
      {answer.state === 'loading' && <p aria-busy="true">Loading…</p>}
      {answer.state === 'failed' && <ErrorNotice error={answer.error} />}
      {answer.state === 'done' && ready && interval && (
        <>
          <p class="total" data-total={answer.data.events.totalCount}>
            {answer.data.events.totalCount} events by <strong>{ready.actor}</strong> from {ready.from} to{' '}
            {ready.to};{' '}
            <span
              class={answer.data.refused > 0 ? 'refused-count' : undefined}
              data-refused={answer.data.refused}
            >
              {answer.data.refused} refused
            </span>
            .
          </p>
          <Histogram
            bars={barsOf(answer.data.eventHistogram)}
            refused={barsOf(answer.data.refusedHistogram)}
            from={Date.parse(ready.from)}
            to={Date.parse(ready.to)}
            intervalMs={interval.ms}
            label={`Events by ${ready.actor} per ${interval.interval}`}
          />
          <h2>Most frequent actions</h2>
          <ol class="actions-list">
            {answer.data.actions.map((bucket) => (
              <li key={bucket.key}>
                {bucket.key} <span class="count">{bucket.count}</span>
              </li>
            ))}
          </ol>
          <EventsTable
            events={answer.data.events.edges.map((edge) => edge.node)}
            route={route}
            caption="Newest 100 events; refused attempts highlighted"
          />
        </>
      )}
      {route.params.event && <EventDetail {...props} id={route.params.event} />}
    </section>
  );
}
