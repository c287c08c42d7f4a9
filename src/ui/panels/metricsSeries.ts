/**
 * Pure arithmetic from the engine's Metrics to what the panel prints and plots. Kept apart from
 * the components so it is tested without a DOM and the components stay about layout.
 */
import type { Metrics, MetricsWindowSecond } from '../../engine';

/** The statuses the lesson is about, shown even at zero so the room sees "401: 0" turn into "401: 5". */
export const LESSON_STATUSES = [401, 502, 503] as const;

/** Share of finished requests that succeeded, in percent; null before any request finished. */
export function successRatePercent(metrics: Metrics): number | null {
  return metrics.requests.total === 0 ? null : (100 * metrics.requests.ok) / metrics.requests.total;
}

/** "99.2 %", "100 %", "—". Never rounds a loss up to 100. */
export function formatPercent(percent: number | null): string {
  if (percent === null) return '—';
  if (percent === 100) return '100 %';
  return `${(Math.floor(percent * 10) / 10).toFixed(1)} %`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

/** Failed requests by status: the lesson's statuses always, then any other error status seen. */
export function failuresByStatus(byStatus: Metrics['byStatus']): [status: number, count: number][] {
  const rows = new Map<number, number>(LESSON_STATUSES.map((status) => [status, 0]));
  for (const [key, count] of Object.entries(byStatus)) {
    const status = Number(key);
    if (status >= 400) rows.set(status, count);
  }
  return [...rows].sort(([a], [b]) => a - b);
}

/** Per-second success rate in percent; null for a second in which nothing finished. */
export function successRateSeries(window: readonly MetricsWindowSecond[]): (number | null)[] {
  return window.map((s) => (s.ok + s.failed === 0 ? null : (100 * s.ok) / (s.ok + s.failed)));
}

export function p95Series(window: readonly MetricsWindowSecond[]): (number | null)[] {
  return window.map((s) => (s.ok + s.failed === 0 ? null : s.p95Ms));
}

export function nodeSeries(window: readonly MetricsWindowSecond[], nodeId: string): number[] {
  return window.map((s) => s.byNode[nodeId] ?? 0);
}

/**
 * Requests per simulated second a node finished, over the last `seconds` complete seconds (the
 * window's last entry is the second in progress, so it is left out to keep the number steady).
 */
export function recentRatePerSecond(window: readonly MetricsWindowSecond[], nodeId: string, seconds = 5): number {
  const complete = window.slice(0, -1).slice(-seconds);
  if (complete.length === 0) return 0;
  return complete.reduce((sum, s) => sum + (s.byNode[nodeId] ?? 0), 0) / complete.length;
}

/** The highest value of a series, at least `floor`, for a chart's scale. */
export function seriesMax(values: readonly (number | null)[], floor: number): number {
  return values.reduce<number>((max, v) => (v !== null && v > max ? v : max), floor);
}
