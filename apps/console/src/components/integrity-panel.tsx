import { useState } from 'preact/hooks';
import { ask } from '../browser/graphql-client';
import { useAnswer } from '../browser/use-answer';
import { INTEGRITY } from '../model/queries';
import { ErrorNotice } from './error-notice';

interface IntegrityAnswer {
  integrityReport: {
    ok: boolean;
    eventsVerified: number;
    verifiedAt: string;
    truncated: boolean;
    chains: {
      chain: string;
      verified: number;
      pending: number;
      checkpoints: number;
      lastCheckpointAt: string | null;
      closed: boolean;
    }[];
    findings: { kind: string; chain: string; message: string }[];
  };
}

/**
 * Is the stored trail complete and unaltered? Verification rehashes every event, so it runs when
 * asked, not on every visit.
 */
export function IntegrityPanel({ token, from, to }: { token: string; from: string; to: string }) {
  const [asked, setAsked] = useState(0);
  const answer = useAnswer(asked > 0 ? `${asked}` : undefined, () =>
    ask<IntegrityAnswer>(token, INTEGRITY, { from, to }),
  );
  const report = answer.state === 'done' ? answer.data.integrityReport : undefined;
  return (
    <section class="integrity" aria-label="Integrity">
      <h2>Integrity</h2>
      <button type="button" onClick={() => setAsked(asked + 1)} disabled={answer.state === 'loading'}>
        Verify the chains for this window
      </button>
      {answer.state === 'loading' && <p aria-busy="true">Verifying…</p>}
      {answer.state === 'failed' && <ErrorNotice error={answer.error} />}
      {report && (
        <>
          <p class={report.ok ? 'verified' : 'tampered'} data-ok={String(report.ok)}>
            {report.ok ? 'Verified' : 'Not verified'}: {report.eventsVerified} events in{' '}
            {report.chains.length} chains, at {report.verifiedAt}
            {report.truncated ? ' (stopped early: too many findings)' : ''}.
          </p>
          {report.findings.length > 0 && (
            <ul class="error">
              {report.findings.map((finding, index) => (
                <li key={index}>
                  <code>{finding.kind}</code> {finding.chain}: {finding.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
