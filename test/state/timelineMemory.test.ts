/**
 * The rewind history is bounded, and stays level once full (issue 11, the 1,000-client soak): the
 * checkpoints keep their count, and what they hold must not grow as the run goes on and they spread
 * out. It did: each checkpoint copied every node's cache of checked tokens as the token strings
 * themselves, and checkpoints far apart share none of them, so the token text kept alive grew with
 * the run (+70 MB of heap in ten minutes at 1,000 clients) although the count of checkpoints stayed
 * at its cap.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../src/engine';
import { Timeline } from '../../src/state/timeline';
import type { ClusterKey } from '../../src/state/clusterKey';

/** Characters of the distinct long strings (tokens, authorization headers…) reachable from `root`. */
function longStringChars(root: object): { strings: number; chars: number } {
  const seenObjects = new Set<object>();
  const seenStrings = new Set<string>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.length >= 100) seenStrings.add(value);
      continue;
    }
    if (value === null || typeof value !== 'object' || seenObjects.has(value)) continue;
    seenObjects.add(value);
    if (value instanceof Map)
      for (const [key, item] of value) {
        stack.push(key);
        stack.push(item);
      }
    else if (value instanceof Set) for (const item of value) stack.push(item);
    else if (ArrayBuffer.isView(value)) continue;
    else for (const key of Object.keys(value)) stack.push((value as Record<string, unknown>)[key]);
  }
  let chars = 0;
  for (const text of seenStrings) chars += text.length;
  return { strings: seenStrings.size, chars };
}

describe('rewind checkpoints stay level in memory', () => {
  it('a long stateless run keeps no more token text in its checkpoints as they spread out', () => {
    const sims = new Map<ClusterKey, Simulation>([
      ['stateless', createSimulation({ mode: 'stateless', clients: 40, nodes: 3, seed: 11, eventLogSize: 0 })],
    ]);
    const timeline = new Timeline(sims, 12);
    const run = (untilMs: number) => {
      let nextToggleMs = 300_000;
      while (timeline.headMs < untilMs) {
        timeline.advance(sims, 1_000);
        // A node failed and recovered every 5 simulated minutes, as the soak does.
        if (timeline.headMs >= nextToggleMs) {
          nextToggleMs += 300_000;
          const sim = sims.get('stateless')!;
          const down = sim.snapshot().nodes[1]!.status !== 'up';
          sim.apply({ type: down ? 'recoverNode' : 'failNode', node: 'server-2' });
          timeline.record(sims, { type: down ? 'recoverNode' : 'failNode', node: 'server-2' });
        }
      }
    };
    run(1_000_000);
    expect(timeline.checkpointCount).toBe(12);
    const full = longStringChars(timeline);
    run(4_000_000);
    expect(timeline.checkpointCount).toBe(12);
    const later = longStringChars(timeline);
    // Each checkpoint holds its clients' current tokens: about the same text however far apart they are.
    expect(later.chars).toBeLessThan(full.chars * 1.2);
    // …and it still lands on any moment.
    expect(timeline.seek(2_500_000).get('stateless')!.time).toBe(2_500_000);
  }, 60_000);
});
