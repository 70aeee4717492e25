import { isAlert, isRefused, subjectOf, type EventRow } from '../model/event-row';
import { withParam, type Route } from '../model/routes';

const timeOf = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

/** Events as rows; each opens its detail beside the list. Alerts and refusals stand out. */
export function EventsTable({
  events,
  route,
  caption,
}: {
  events: readonly EventRow[];
  route: Route;
  caption: string;
}) {
  return (
    <table class="events">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Source</th>
          <th scope="col">Action</th>
          <th scope="col">Outcome</th>
          <th scope="col">Actor</th>
          <th scope="col">Subject</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr
            key={event.id}
            class={isAlert(event) ? 'alert' : isRefused(event) ? 'refused' : undefined}
            aria-current={route.params.event === event.id ? 'true' : undefined}
          >
            <td>
              <a href={withParam(route, 'event', event.id)}>{timeOf(event.timestamp)}</a>
            </td>
            <td>{event.product}</td>
            <td>{isAlert(event) ? `alert: ${event.rule?.name ?? ''}` : event.action}</td>
            <td>{isRefused(event) ? <strong>refused</strong> : event.outcome.toLowerCase()}</td>
            <td>{event.actor.name ?? ''}</td>
            <td>{subjectOf(event)}</td>
            <td>{event.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
