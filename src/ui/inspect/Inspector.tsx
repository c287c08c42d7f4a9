/**
 * Request inspector: one request in full — yours or a simulated client's — as the engine kept it
 * (`sim.inspect(id)`, the last few hundred requests). Re-read whenever the store publishes, so a
 * request still in flight fills in when it finishes.
 */
import { clientName } from '../../engine';
import { apiClusterFor } from '../../state/apiCluster';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { CLUSTER_LABEL } from '../../state/simulationStore';
import type { RequestRecord } from '../../engine';
import { useInspect } from './InspectContext';
import { nodeLabel, YOU_ID, YOU_NAME } from '../../state/labels';
import { TamperBox } from './TamperBox';
import { TokenView } from './TokenView';
import { tokensIn } from './tokenTools';
import { MyRequests } from './MyRequests';

function Headers({ title, headers }: { title: string; headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  return (
    <>
      <h4>{title}</h4>
      {entries.length === 0 ? (
        <p className="inspect-note">none</p>
      ) : (
        <table className="header-table">
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ms(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)} ms`;
}

function seconds(simTimeMs: number | null): string {
  return simTimeMs === null ? '—' : `${(simTimeMs / 1000).toFixed(3)} s`;
}

function Summary({ record }: { record: RequestRecord }) {
  const response = record.response;
  return (
    <dl className="inspect-summary">
      <dt>Status</dt>
      <dd>{response === null ? 'on its way' : response.status}</dd>
      <dt>Served by</dt>
      <dd>
        {record.node === null ? (response === null ? '—' : 'the balancer (no node answered)') : nodeLabel(record.node)}
      </dd>
      <dt>Attempts</dt>
      <dd>
        {record.attempts}
        {record.attempts > 1 ? ' (a dead node refused it; the balancer retried)' : ''}
      </dd>
      <dt>Size</dt>
      <dd>{record.sizeBytes} bytes (request line, headers, body)</dd>
      <dt>Credential</dt>
      <dd>{record.credential === 'token' ? 'token' : record.credential === 'cookie' ? 'session cookie' : 'none'}</dd>
      <dt>Timings</dt>
      <dd>
        sent at {seconds(record.sentAt)} · started {seconds(record.startedAt)} (simulated clock) · queued{' '}
        {ms(record.queuedMs)} · latency {ms(record.latencyMs)}
      </dd>
    </dl>
  );
}

export function Inspector() {
  const sims = useSimulationStore();
  const selected = useInspect((s) => s.selected);
  useSim((s) => s.clusters); // re-read on every publish
  const apiCluster = apiClusterFor(useSim((s) => s.scenario.mode));
  const sim = selected === null ? undefined : sims.running.get(selected.cluster);
  const record = selected === null || sim === undefined ? null : sim.inspect(selected.requestId);

  return (
    <div className="inspector">
      <MyRequests />
      {selected === null && <p>Pick a request: one of yours above, or any row of the event log.</p>}
      {selected !== null && record === null && (
        <p>
          Request #{selected.requestId} is no longer kept: the engine keeps the most recent{' '}
          {sim?.config.eventLogSize ?? 500} requests.
        </p>
      )}
      {selected !== null && sim !== undefined && record !== null && (
        <article aria-label={`Request ${record.id}`}>
          <h3 className="inspect-title">
            #{record.id}{' '}
            <code>
              {record.request.method} {record.request.path}
            </code>
            <span className="inspect-client">
              {' '}
              from {record.client === YOU_ID ? YOU_NAME : clientName(Number(record.client.slice(1)) - 1)}
              {sims.running.size > 1 ? ` · ${CLUSTER_LABEL[selected.cluster]}` : ''}
            </span>
          </h3>
          <Summary record={record} />
          <Headers title="Request headers" headers={record.request.headers} />
          <h4>Request body</h4>
          <pre>{record.request.body === undefined ? '(none)' : JSON.stringify(record.request.body, null, 2)}</pre>
          {record.response === null ? (
            <p>No answer yet.</p>
          ) : (
            <>
              <Headers title="Response headers" headers={record.response.headers} />
              <h4>Response body</h4>
              <pre>{JSON.stringify(record.response.body, null, 2)}</pre>
            </>
          )}
          {tokensIn(record.request, record.response, sim).map((report) => (
            <div key={`${report.origin}-${report.token}`}>
              <TokenView report={report} />
              {selected.cluster === apiCluster && sim.config.mode === 'stateless' ? (
                <TamperBox key={report.token} report={report} sim={sim} cluster={selected.cluster} />
              ) : null}
            </div>
          ))}
        </article>
      )}
    </div>
  );
}
