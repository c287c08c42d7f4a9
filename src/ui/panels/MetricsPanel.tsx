/**
 * The Metrics region of one cluster (contract §4): the two numbers the room watches (sessions lost,
 * failed requests) in large type, the details in normal type, and small 60-second charts.
 * Each number is printed as text after its label ("Sessions lost 17"), so people, screen readers and
 * tests all read the same thing. It re-renders when the store publishes (about 4×/s), not per frame.
 */
import './panels.css';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey, SimulationState } from '../../state/simulationStore';
import {
  failuresByStatus,
  formatMs,
  formatPercent,
  p95Series,
  seriesMax,
  successRatePercent,
  successRateSeries,
} from './metricsSeries';
import { NodeLoad } from './NodeLoad';
import { Sparkline } from './Sparkline';

/** Module-level selectors, one per cluster, so their identity never changes between renders. */
function selectorFor(key: ClusterKey) {
  return (s: SimulationState) => {
    const view = s.clusters.find((c) => c.key === key);
    return { metrics: view?.metrics, nodes: view?.snapshot.nodes };
  };
}
const SELECTORS: Record<ClusterKey, ReturnType<typeof selectorFor>> = {
  stateless: selectorFor('stateless'),
  stateful: selectorFor('stateful'),
};

function Headline({ label, value, alert, look }: { label: string; value: number; alert: boolean; look: string }) {
  return (
    <div className={alert ? 'headline is-alert' : 'headline'} data-look-id={`metric:${look}`}>
      <dt>{label}</dt>
      {/* The warning mark is CSS content, so the text stays "Sessions lost 17" for readers and tests. */}
      <dd>{value}</dd>
    </div>
  );
}

function Stat({ label, look, children }: { label: string; look?: string; children: ReactNode }) {
  return (
    <div className="stat" data-look-id={look === undefined ? undefined : `metric:${look}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function MetricsPanel({ cluster }: { cluster: ClusterKey }) {
  const { metrics, nodes } = useSim(useShallow(SELECTORS[cluster]));
  // Retried orders are a lesson of their own: shown once it is set up (keys or a payment wait) or one happened.
  const ordersShown = useSim((s) => s.scenario.idem || s.scenario.pay > 0);
  if (metrics === undefined || nodes === undefined) {
    return (
      <aside className="metrics" role="region" aria-label="Metrics" data-cluster={cluster}>
        <p>Starting…</p>
      </aside>
    );
  }
  const successRate = successRatePercent(metrics);
  const rateSeries = successRateSeries(metrics.window);
  const latencySeries = p95Series(metrics.window);
  const latencyMax = seriesMax(latencySeries, 50);
  const lastLatency = latencySeries.findLast((v) => v !== null) ?? null;
  const lastRate = rateSeries.findLast((v) => v !== null) ?? null;
  return (
    <aside className="metrics" role="region" aria-label="Metrics" data-cluster={cluster}>
      <dl className="headlines">
        <Headline
          label="Sessions lost"
          look="sessionsLost"
          value={metrics.sessionsLost}
          alert={metrics.sessionsLost > 0}
        />
        <Headline
          label="Failed requests"
          look="failed"
          value={metrics.requests.failed}
          alert={metrics.requests.failed > 0}
        />
      </dl>
      <dl className="stats">
        <Stat label="Sent back to login" look="relogins">
          {metrics.relogins}
        </Stat>
        <Stat label="Cart items lost" look="cartItemsLost">
          {metrics.cartItemsLost}
        </Stat>
        <Stat label="Sent to a dead node" look="sentToDeadNode">
          {metrics.sentToDeadNode}
        </Stat>
        {(metrics.forgeriesAccepted > 0 || nodes.some((n) => !n.verify)) && (
          <Stat label="Forgeries accepted" look="forgeriesAccepted">
            {metrics.forgeriesAccepted}
          </Stat>
        )}
        {metrics.bannedUserRequestsOk > 0 && (
          <Stat label="Served after a ban" look="bannedUserRequestsOk">
            {metrics.bannedUserRequestsOk}
          </Stat>
        )}
        {/* Above Checkouts completed: in projector mode a row lower falls below the panel's fold. */}
        {(metrics.duplicateOrders > 0 || ordersShown) && (
          <Stat label="Duplicate orders" look="duplicateOrders">
            {metrics.duplicateOrders}
          </Stat>
        )}
        <Stat label="Checkouts completed" look="checkoutsCompleted">
          {metrics.checkoutsCompleted}
        </Stat>
        <Stat label="Success rate">{formatPercent(successRate)}</Stat>
        <Stat label="Latency p50/p95" look="p95">
          {formatMs(metrics.latencyMs.p50)} / {formatMs(metrics.latencyMs.p95)} <span className="unit">ms</span>
        </Stat>
        <Stat label="Bytes per request" look="bytesPerRequest">
          {Math.round(metrics.bytesPerRequest)}
        </Stat>
        <div className="stat stat-statuses">
          <dt>Failed by status</dt>
          <dd className="statuses">
            {failuresByStatus(metrics.byStatus).map(([status, count]) => (
              <span key={status} className={count > 0 ? 'status-chip has-failures' : 'status-chip'}>
                <abbr title={STATUS_TEXT[status] ?? 'HTTP status'}>{status}</abbr>: {count}
              </span>
            ))}
          </dd>
        </div>
      </dl>
      <div className="charts" role="group" aria-label="Last 60 simulated seconds">
        <figure className="chart" title="Last 60 simulated seconds">
          <figcaption>Success rate</figcaption>
          <Sparkline
            values={rateSeries}
            min={0}
            max={100}
            tone="tone-success"
            label={`Success rate per second over the last 60 s, latest ${formatPercent(lastRate)}`}
          />
          <span className="chart-scale" aria-hidden="true">
            0–100 %
          </span>
        </figure>
        <figure className="chart" title="Last 60 simulated seconds">
          <figcaption>p95 latency</figcaption>
          <Sparkline
            values={latencySeries}
            min={0}
            max={latencyMax}
            tone="tone-latency"
            label={`p95 latency per second over the last 60 s, latest ${lastLatency === null ? 'none' : `${formatMs(lastLatency)} ms`}`}
          />
          <span className="chart-scale" aria-hidden="true">
            0–{formatMs(latencyMax)} ms
          </span>
        </figure>
      </div>
      <NodeLoad nodes={nodes} window={metrics.window} />
    </aside>
  );
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized: no valid token or session',
  502: 'Bad Gateway: the chosen node was down',
  503: 'Service Unavailable: no healthy node',
};
