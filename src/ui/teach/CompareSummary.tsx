/**
 * Compare mode's outcome in one strip the room can read: each figure for Stateless (JWT) beside
 * Stateful (sessions).
 */
import { useShallow } from 'zustand/react/shallow';
import type { Metrics } from '../../engine';
import { useSim } from '../../state/SimulationProvider';

/** `look`: the lesson ring's name for the column (data-look-id `summary:<look>`, src/lessons/lookAt.ts). */
const FIGURES: { label: string; look: string; value: (m: Metrics) => string }[] = [
  { label: 'Sessions lost', look: 'sessionsLost', value: (m) => String(m.sessionsLost) },
  { label: 'Sent back to login', look: 'relogins', value: (m) => String(m.relogins) },
  { label: 'Cart items lost', look: 'cartItemsLost', value: (m) => String(m.cartItemsLost) },
  { label: 'Failed requests', look: 'failed', value: (m) => String(m.requests.failed) },
  { label: 'Bytes per request', look: 'bytesPerRequest', value: (m) => String(m.bytesPerRequest) },
  { label: 'p95 latency', look: 'p95', value: (m) => `${Math.round(m.latencyMs.p95)} ms` },
];

export function CompareSummary() {
  const [stateless, stateful] = useSim(
    useShallow((s) => [
      s.clusters.find((c) => c.key === 'stateless')?.metrics,
      s.clusters.find((c) => c.key === 'stateful')?.metrics,
    ]),
  );
  const linked = useSim((s) => s.linkFailures);
  const setLinked = useSim((s) => s.setLinkFailures);
  if (stateless === undefined || stateful === undefined) return null;
  return (
    <table className="compare-summary" aria-label="Compare summary">
      <thead>
        <tr>
          <th scope="col">
            <label className="compare-link" title="One click fails the server in both clusters">
              <input type="checkbox" checked={linked} onChange={(event) => setLinked(event.currentTarget.checked)} />{' '}
              Link failures
            </label>
          </th>
          {FIGURES.map((figure) => (
            <th key={figure.label} scope="col" data-look-id={`summary:${figure.look}`}>
              {figure.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(
          [
            ['Stateless (JWT)', stateless, 'jwt'],
            ['Stateful (sessions)', stateful, 'sessions'],
          ] as const
        ).map(([name, metrics, kind]) => (
          <tr key={name} data-kind={kind}>
            <th scope="row">{name}</th>
            {FIGURES.map((figure) => (
              <td key={figure.label} data-look-id={`summary:${figure.look}`}>
                {figure.value(metrics)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
