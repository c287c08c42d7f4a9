import { describe, expect, it } from 'vitest';
import { runInSlices, SLICE_WALL_MS } from '../../src/state/slices';

/**
 * A replay whose cost per simulated second changes under it: cheap early minutes, then a stretch ten
 * times dearer (a crash's relogins, the checkpoints of a bigger hall). Wall time is a fake clock
 * moved by the work itself, so the figures are exact and the test takes no time.
 */
function replay(cheapUntilMs: number, totalMs: number) {
  let wallMs = 0;
  let doneMs = 0;
  const slices: number[] = [];
  let sliceStartedMs = 0;
  const work = (simMs: number): boolean => {
    const stepMs = Math.min(simMs, totalMs - doneMs);
    // 1,000 simulated ms cost 1 wall ms before `cheapUntilMs`, 10 after.
    const cheap = Math.max(0, Math.min(stepMs, cheapUntilMs - doneMs));
    wallMs += cheap / 1_000 + ((stepMs - cheap) / 1_000) * 10;
    doneMs += stepMs;
    return doneMs >= totalMs;
  };
  const schedule = (next: () => void): void => {
    slices.push(wallMs - sliceStartedMs);
    queueMicrotask(() => {
      sliceStartedMs = wallMs;
      next();
    });
  };
  return { work, schedule, clock: () => wallMs, slices, done: () => doneMs };
}

describe('replaying in slices', () => {
  it('yields to the browser within a few ms of its aim even when the work turns ten times dearer mid-way', async () => {
    const r = replay(1_800_000, 3_600_000);
    await runInSlices(r.work, r.schedule, r.clock);
    expect(r.done()).toBe(3_600_000);
    // The page draws a frame between slices: none holds the main thread for more than 50 ms.
    expect(Math.max(...r.slices)).toBeLessThanOrEqual(50);
    // …and the slices are not needlessly small either: most use the time they were given.
    const full = r.slices.filter((ms) => ms >= SLICE_WALL_MS * 0.75).length;
    expect(full).toBeGreaterThan(r.slices.length * 0.75);
  });
});
