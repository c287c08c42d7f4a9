/**
 * Compare mode's outcome in one strip the room can read: each figure for Stateless (JWT) beside
 * Stateful (sessions).
 */
import { useShallow } from 'zustand/react/shallow';
import type { Metrics } from '../../engine';
import { useSim } from '../../state/SimulationProvider';

const FIGURES: { label: string; value: (m: Metrics) => string }[] = [
  { label: 'Sessions lost', value: (m) => String(m.sessionsLost) },
  { label: 'Sent back to login', value: (m) => String(m.relogins) },
  { label: 'Cart items lost', value: (m) => String(m.cartItemsLost) },
  { label: 'Failed requests', value: (m) => String(m.requests.failed) },
  { label: 'Bytes per request', value: (m) => String(m.bytesPerRequest) },
  { label: 'p95 latency', value: (m) => `${Math.round(m.latencyMs.p95)} ms` },
];

export function CompareSummary() {
  const [stateless, stateful] = useSim(useShallow((s) => [
    s.clusters.find((c) => c.key === 'stateless')?.metrics,
    s.clusters.find((c) => c.key === 'stateful')?.metrics,
  ]));
  const linked = useSim((s) => s.linkFailures);
  const setLinked = useSim((s) => s.setLinkFailures);
  if (stateless === undefined || stateful === undefined) return null;
  return (
    <table className="compare-summary" aria-label="Compare summary">
      <thead>
        <tr>
          <th scope="col">
            <label className="compare-link" title="One click fails the server in both clusters">
              <input type="checkbox" checked={linked} onChange={(event) => setLinked(event.currentTarget.checked)} /> Link failures
            </label>
          </th>
          {FIGURES.map((figure) => <th key={figure.label} scope="col">{figure.label}</th>)}
        </tr>
      </thead>
      <tbody>
        {([['Stateless (JWT)', stateless, 'jwt'], ['Stateful (sessions)', stateful, 'sessions']] as const).map(([name, metrics, kind]) => (
          <tr key={name} data-kind={kind}>
            <th scope="row">{name}</th>
            {FIGURES.map((figure) => <td key={figure.label}>{figure.value(metrics)}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
