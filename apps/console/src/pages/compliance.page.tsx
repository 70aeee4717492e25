import { useState } from 'preact/hooks';
import { ask } from '../browser/graphql-client';
import { useAnswer } from '../browser/use-answer';
import { ErrorNotice, Problems } from '../components/error-notice';
import { EventDetail } from '../components/event-detail';
import { EventsTable } from '../components/events-table';
import { FieldInput } from '../components/field-input';
import { FrameworkSelect } from '../components/framework-select';
import { IntegrityPanel } from '../components/integrity-panel';
import { TimeLanes } from '../components/time-lanes';
import type { EventRow } from '../model/event-row';
import { COMPLIANCE, EVIDENCE } from '../model/queries';
import { routeHref, withParam } from '../model/routes';
import { FRAMEWORKS, timeOf } from '../model/search-form';
import type { PageProps } from '../session';

interface ControlReport {
  id: string;
  title: string;
  status: 'EVIDENCED' | 'NO_EVIDENCE' | 'NOT_APPLICABLE';
  evidenceCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  findings: string[];
}
interface Report {
  complianceReport: {
    framework: string;
    from: string;
    to: string;
    catalogVersion: string;
    silenceResolutionMinutes: number;
    controls: ControlReport[];
    silenceGaps: { product: string; cluster: string | null; from: string; to: string; minutes: number }[];
  };
}
interface Evidence {
  complianceEvidence: { totalCount: number; edges: { node: EventRow }[] };
}

const WEEK = 7 * 24 * 3_600_000;
const STATUS_WORDS: Record<ControlReport['status'], string> = {
  EVIDENCED: 'evidenced',
  NO_EVIDENCE: 'gap: no evidence',
  NOT_APPLICABLE: 'not applicable (no scope configured)',
};

function Evidencing({
  token,
  route,
  framework,
  control,
  from,
  to,
}: Pick<PageProps, 'token' | 'route'> & Record<'framework' | 'control' | 'from' | 'to', string>) {
  const answer = useAnswer(JSON.stringify([framework, control, from, to]), () =>
    ask<Evidence>(token, EVIDENCE, { framework, control, from, to }),
  );
  if (answer.state === 'failed') return <ErrorNotice error={answer.error} />;
  if (answer.state !== 'done') return <p aria-busy="true">Loading the evidence…</p>;
  return (
    <EventsTable
      events={answer.data.complianceEvidence.edges.map((edge) => edge.node)}
      route={route}
      caption={`Events evidencing ${control} (${answer.data.complianceEvidence.totalCount}; newest 50)`}
    />
  );
}

/** Per framework: each control's status and evidence, the sources' silences on the window's axis. */
export function CompliancePage(props: PageProps) {
  const { token, viewer, route } = props;
  // Fixed when the page opens, so the default window does not move between renders.
  const [now] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  const framework = FRAMEWORKS.find((candidate) => candidate === route.params.framework) ?? 'PCI_DSS';
  const to = route.params.to ? timeOf(route.params.to) : new Date(now).toISOString();
  const from = route.params.from
    ? timeOf(route.params.from)
    : to && new Date(Date.parse(to) - WEEK).toISOString();
  const [form, setForm] = useState({ framework, from: route.params.from ?? '', to: route.params.to ?? '' });
  const problems = [...(from ? [] : ['From: not a time']), ...(to ? [] : ['To: not a time'])];
  const ready = from && to && from < to ? { framework, from, to } : undefined;
  const answer = useAnswer(ready && JSON.stringify(ready), () => ask<Report>(token, COMPLIANCE, ready));
  const set = (name: keyof typeof form, value: string) => setForm({ ...form, [name]: value });
  const submit = (event: Event) => {
    event.preventDefault();
    location.hash = routeHref('compliance', form);
  };
  const report = answer.state === 'done' ? answer.data.complianceReport : undefined;
  const gapLanes = report
    ? [...new Set(report.silenceGaps.map((gap) => gap.product))].map((product) => ({
        key: product,
        label: product,
        marks: [],
        bands: report.silenceGaps
          .filter((gap) => gap.product === product)
          .map((gap) => ({
            key: `${gap.cluster ?? ''}${gap.from}`,
            from: Date.parse(gap.from),
            to: Date.parse(gap.to),
            title: `${product}${gap.cluster ? ` (${gap.cluster})` : ''} silent ${gap.minutes} minutes from ${gap.from} to ${gap.to}`,
          })),
      }))
    : [];
  return (
    <section class="page">
      <h1>Compliance</h1>
      <form class="filters" onSubmit={submit} aria-label="Which report">
        <FrameworkSelect value={form.framework} onChange={(value) => set('framework', value)} />
        <FieldInput
          form={form}
          name="from"
          label="From (UTC)"
          hint="Default: a week before To"
          onInput={set}
        />
        <FieldInput form={form} name="to" label="To (UTC)" hint="Default: now" onInput={set} />
        <div class="actions">
          <button type="submit">Show report</button>
        </div>
      </form>
      {problems.length > 0 && <Problems problems={problems} />}
      {answer.state === 'loading' && <p aria-busy="true">Computing the report…</p>}
      {answer.state === 'failed' && <ErrorNotice error={answer.error} />}
      {report && (
        <>
          <p>
            {report.framework.replace('_', ' ')} from {report.from} to {report.to}, catalog{' '}
            {report.catalogVersion}.
          </p>
          <table class="controls-report">
            <caption>Controls</caption>
            <thead>
              <tr>
                <th scope="col">Control</th>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Evidence</th>
                <th scope="col">Last seen</th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {report.controls.map((control) => (
                <tr
                  key={control.id}
                  class={control.status === 'NO_EVIDENCE' || control.findings.length > 0 ? 'gap' : undefined}
                  data-status={control.status}
                >
                  <td>
                    <a href={withParam(route, 'control', control.id)}>{control.id}</a>
                  </td>
                  <td>{control.title}</td>
                  <td>{STATUS_WORDS[control.status]}</td>
                  <td>{control.evidenceCount}</td>
                  <td>{control.lastSeen ?? '—'}</td>
                  <td>{control.findings.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Silence gaps</h2>
          <p>
            Sources that sent nothing for longer than the threshold (exact to{' '}
            {report.silenceResolutionMinutes} minutes).
          </p>
          {gapLanes.length === 0 ? (
            <p class="no-gaps">No source fell silent in this window.</p>
          ) : (
            <TimeLanes
              lanes={gapLanes}
              from={Date.parse(report.from)}
              to={Date.parse(report.to)}
              label="Silence gaps by source over the report window"
            />
          )}
          {route.params.control && ready && (
            <section aria-label="Evidence">
              <h2>Evidence for {route.params.control}</h2>
              <Evidencing
                token={token}
                route={route}
                framework={framework}
                control={route.params.control}
                from={ready.from}
                to={ready.to}
              />
            </section>
          )}
          {(viewer.role === 'admin' || viewer.role === 'auditor') && ready && (
            <IntegrityPanel token={token} from={ready.from} to={ready.to} />
          )}
        </>
      )}
      {route.params.event && <EventDetail {...props} id={route.params.event} />}
    </section>
  );
}
