/**
 * The arithmetic behind the Metrics panel: what the room reads must be the engine's numbers, never
 * rounded into a comforting lie (99.96 % is not "100 %").
 */
import { describe, expect, it } from 'vitest';
import type { MetricsWindowSecond } from '../../src/engine';
import {
  failuresByStatus,
  formatMs,
  formatPercent,
  recentRatePerSecond,
  successRateSeries,
  seriesMax,
} from '../../src/ui/panels/metricsSeries';
import { sparklinePath } from '../../src/ui/panels/Sparkline';

const second = (
  time: number,
  ok: number,
  failed: number,
  byNode: Record<string, number> = {},
): MetricsWindowSecond => ({ time, ok, failed, p95Ms: 40, byNode });

describe('metrics text', () => {
  it('never rounds a loss up to 100 %', () => {
    expect(formatPercent(99.96)).toBe('99.9 %');
    expect(formatPercent(100)).toBe('100 %');
    expect(formatPercent(null)).toBe('—');
  });

  it('prints small latencies with a decimal and large ones whole', () => {
    expect(formatMs(4.26)).toBe('4.3');
    expect(formatMs(45.4)).toBe('45');
  });

  it('always lists 401, 502 and 503, then any other error status, in order', () => {
    expect(failuresByStatus({ 200: 90, 504: 1, 401: 3 })).toEqual([
      [401, 3],
      [502, 0],
      [503, 0],
      [504, 1],
    ]);
  });
});

describe('chart series', () => {
  it('leaves a gap for a second in which nothing finished', () => {
    expect(successRateSeries([second(0, 9, 1), second(1000, 0, 0)])).toEqual([90, null]);
  });

  it("averages a node's load over the last complete seconds, skipping the one in progress", () => {
    const window = [
      second(0, 0, 0, { 'server-1': 2 }),
      second(1000, 0, 0, { 'server-1': 4 }),
      second(2000, 0, 0, { 'server-1': 100 }),
    ];
    expect(recentRatePerSecond(window, 'server-1')).toBe(3);
    expect(recentRatePerSecond(window, 'server-9')).toBe(0);
  });

  it('scales to the highest value, at least the floor', () => {
    expect(seriesMax([3, null, 7], 5)).toBe(7);
    expect(seriesMax([null], 5)).toBe(5);
  });

  it('draws the newest point at the right edge and breaks the line at gaps', () => {
    const path = sparklinePath([0, null, 100], 0, 100, 4);
    expect(path).toBe('M1 100.0M3 8.0');
  });
});
