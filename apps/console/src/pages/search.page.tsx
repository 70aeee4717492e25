import { useState } from 'preact/hooks';
import { ask } from '../browser/graphql-client';
import { useAnswer } from '../browser/use-answer';
import { ErrorNotice, Problems } from '../components/error-notice';
import { EventDetail } from '../components/event-detail';
import { EventsTable } from '../components/events-table';
import { FieldInput } from '../components/field-input';
import { FrameworkSelect } from '../components/framework-select';
import type { EventRow } from '../model/event-row';
import { SEARCH } from '../model/queries';
import { routeHref } from '../model/routes';
import { filterOf, FORM_FIELDS, type SearchForm } from '../model/search-form';
import type { PageProps } from '../session';

interface Page {
  events: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    edges: { node: EventRow }[];
  };
}

const PAGE_SIZE = 50;
const emptyForm = () => Object.fromEntries(FORM_FIELDS.map((name) => [name, ''])) as unknown as SearchForm;

/** Every EventFilter field, the matching events newest first, a page at a time, with the total. */
export function SearchPage(props: PageProps) {
  const { token, viewer, route } = props;
  const [form, setForm] = useState<SearchForm>(() => ({ ...emptyForm(), ...route.params }));
  const asked = filterOf(route.params);
  const searched = route.params.searched === '1';
  const key = searched && 'filter' in asked ? JSON.stringify([asked.filter, route.params.after]) : undefined;
  const answer = useAnswer(key, () =>
    ask<Page>(token, SEARCH, {
      filter: 'filter' in asked ? asked.filter : {},
      first: PAGE_SIZE,
      after: route.params.after,
    }),
  );
  const set = (name: keyof SearchForm, value: string) => setForm({ ...form, [name]: value });
  const submit = (event: Event) => {
    event.preventDefault();
    location.hash = routeHref('search', { ...form, searched: '1' });
  };
  const mayFilterByAddress = viewer.mayFilter.includes('sourceIp');
  const criteria = Object.fromEntries(FORM_FIELDS.map((name) => [name, route.params[name]]));
  return (
    <section class="page">
      <h1>Search</h1>
      <form class="filters" onSubmit={submit} aria-label="Event filter">
        <FieldInput
          form={form}
          name="text"
          label="Words"
          hint="All must appear in the message, command or resource"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="actor"
          label="Actor"
          hint="User or service account, exact"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="actions"
          label="Actions"
          hint="e.g. pods/exec.create, comma-separated"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="products"
          label="Sources"
          hint="kubernetes, docker, containerd, falco, distribution, harbor, opa, cairn"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="sourceKinds"
          label="Source kinds"
          hint="orchestrator, runtime, registry, policy, cairn"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="outcomes"
          label="Outcomes"
          hint="success, failure, unknown"
          onInput={set}
        />
        <FieldInput form={form} name="namespace" label="Namespace" onInput={set} />
        <FieldInput form={form} name="pod" label="Pod" hint="Exact" onInput={set} />
        <FieldInput
          form={form}
          name="containerId"
          label="Container id"
          hint="Full, or at least 12 hex characters"
          onInput={set}
        />
        <FieldInput
          form={form}
          name="image"
          label="Image"
          hint="repository[:tag], registry/repository, or a sha256 digest"
          onInput={set}
        />
        <FieldInput form={form} name="cluster" label="Cluster" onInput={set} />
        {mayFilterByAddress && (
          <FieldInput
            form={form}
            name="sourceIp"
            label="Client address"
            hint="IPv4 or IPv6, exact"
            onInput={set}
          />
        )}
        <FrameworkSelect value={form.framework} optional onChange={(value) => set('framework', value)} />
        <FieldInput
          form={form}
          name="control"
          label="Control"
          hint='e.g. "10.2.1.2" or "164.312(b)"'
          onInput={set}
        />
        <FieldInput
          form={form}
          name="from"
          label="From (UTC)"
          hint="Inclusive, e.g. 2026-12-01T10:00"
          onInput={set}
        />
        <FieldInput form={form} name="to" label="To (UTC)" hint="Exclusive" onInput={set} />
        <div class="actions">
          <button type="submit">Search</button>
          <a href={routeHref('search')}>Clear</a>
        </div>
      </form>
      {searched && 'problems' in asked && <Problems problems={asked.problems} />}
      {answer.state === 'loading' && <p aria-busy="true">Searching…</p>}
      {answer.state === 'failed' && <ErrorNotice error={answer.error} />}
      {answer.state === 'done' && (
        <>
          <p class="total" data-total={answer.data.events.totalCount}>
            {answer.data.events.totalCount} events match{route.params.after ? ' (a later page)' : ''}.
          </p>
          <EventsTable
            events={answer.data.events.edges.map((edge) => edge.node)}
            route={route}
            caption="Matching events, newest first"
          />
          <nav class="pager" aria-label="Pages">
            {route.params.after && (
              <a href={routeHref('search', { ...criteria, searched: '1' })}>First page</a>
            )}
            {answer.data.events.pageInfo.hasNextPage && answer.data.events.pageInfo.endCursor && (
              <a
                href={routeHref('search', {
                  ...criteria,
                  searched: '1',
                  after: answer.data.events.pageInfo.endCursor,
                })}
              >
                Next page
              </a>
            )}
          </nav>
        </>
      )}
      {route.params.event && <EventDetail {...props} id={route.params.event} />}
    </section>
  );
}
