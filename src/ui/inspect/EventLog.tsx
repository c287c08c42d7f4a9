/**
 * Event log: the engine's recent events (its own bounded ring), re-read on each store publish
 * rather than per event, filtered, newest first, at most ROW_LIMIT rows. "Pause log" holds the
 * rows still so one can be clicked while traffic flows.
 */
import { useMemo, useState } from 'react';
import type { SimEvent } from '../../engine';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { CLUSTER_LABEL, type ClusterKey } from '../../state/simulationStore';
import { useInspectContext } from './InspectContext';
import { nodeLabel } from '../../state/labels';
import {
  clientChoices,
  clientNamer,
  filterRows,
  NO_FILTER,
  toRows,
  type LogFilter,
  type LogRow,
  type StatusFilter,
} from './eventRows';

const ROW_LIMIT = 200;

function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function download(name: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click has started the download; the URL is no longer needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function EventLog() {
  const sims = useSimulationStore();
  const { store } = useInspectContext();
  const clusters = useSim((s) => s.clusters); // changes on every publish: the log's heartbeat
  const scenario = useSim((s) => s.scenario);
  const [filter, setFilter] = useState<LogFilter>(NO_FILTER);
  const [everyStep, setEveryStep] = useState(false);
  /** The rows as they were when the log was paused (null: live). */
  const [frozen, setFrozen] = useState<LogRow[] | null>(null);
  const paused = frozen !== null;

  const name = useMemo(() => clientNamer(clusters.flatMap((view) => view.snapshot.clients)), [clusters]);

  const live = useMemo(() => {
    const rows: LogRow[] = [];
    for (const [key, sim] of sims.running)
      rows.push(...toRows(sim.recentEvents(), key, everyStep, name, sim.snapshot().store?.role));
    return rows.sort((a, b) => b.timeMs - a.timeMs);
    // `clusters` changes on every publish: the rows are re-read then.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- clusters is the heartbeat, not an input
  }, [sims, clusters, everyStep, name]);
  const all = frozen ?? live;
  const shown = filterRows(all, filter).slice(0, ROW_LIMIT);
  const clientNames = clientChoices(all);
  const nodeIds = [...new Set(all.map((r) => r.node).filter((n): n is string => n !== null))].sort();
  const compare = clusters.length > 1;

  function exportJson(): void {
    const events: Partial<Record<ClusterKey, SimEvent[]>> = {};
    for (const [key, sim] of sims.running) events[key] = sim.recentEvents();
    const time = Math.round(clusters[0]?.snapshot.time ?? 0);
    download(`events-${scenario.mode}-seed${scenario.seed}-t${time}ms.json`, {
      exportedAt: new Date().toISOString(),
      scenario,
      events,
    });
  }

  return (
    <div className="event-log">
      <div className="log-filters">
        <label>
          Client{' '}
          <select value={filter.client} onChange={(e) => setFilter({ ...filter, client: e.target.value })}>
            <option value="all">all</option>
            {clientNames.map((client) => (
              <option key={client} value={client}>
                {client}
              </option>
            ))}
          </select>
        </label>
        <label>
          Node{' '}
          <select value={filter.node} onChange={(e) => setFilter({ ...filter, node: e.target.value })}>
            <option value="all">all</option>
            {nodeIds.map((id) => (
              <option key={id} value={id}>
                {nodeLabel(id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select
            value={filter.status}
            onChange={(e) => setFilter({ ...filter, status: e.target.value as StatusFilter })}
          >
            <option value="all">all</option>
            <option value="2xx">2xx ok</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
            <option value="failed">failed (≥ 400)</option>
          </select>
        </label>
        <label className="log-check">
          <input type="checkbox" checked={everyStep} onChange={(e) => setEveryStep(e.target.checked)} /> every request
          step
        </label>
        <button type="button" aria-pressed={paused} onClick={() => setFrozen(paused ? null : live)}>
          {paused ? 'Resume log' : 'Pause log'}
        </button>
        <button type="button" onClick={exportJson}>
          Export JSON
        </button>
      </div>
      <p className="inspect-note">
        {shown.length} of {all.length} recent events{shown.length === ROW_LIMIT ? ` (newest ${ROW_LIMIT} shown)` : ''}.
        Click a request to inspect it.
      </p>
      <ol className="log-rows" aria-label="Events, newest first">
        {shown.map((row) => (
          <li key={row.key} data-status={row.status === null ? undefined : Math.floor(row.status / 100)}>
            <span className="log-time">{formatTime(row.timeMs)}</span>
            {compare && <span className="log-cluster">{CLUSTER_LABEL[row.cluster]}</span>}
            {row.requestId !== null ? (
              <button
                type="button"
                className="log-request"
                onClick={() => store.getState().inspect({ cluster: row.cluster, requestId: row.requestId! })}
              >
                #{row.requestId} {row.text}
              </button>
            ) : (
              <span>{row.text}</span>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
