/**
 * Regressions chaos found (fixed): the engine's snapshot cache served stale views of You.
 *
 * - A node's snapshot names You's session 'you' among its chips, so it depends on You's session id as
 *   well as the node's version: after You logged in again on another node, the old node still showed
 *   'you' (seed 3). Node snapshots are now rebuilt when You's sid changes (engine/snapshots.ts).
 * - You's own snapshot kept `sessionNode: server-1` after the idle sweep had ended that session
 *   (seed 4). Ending You's session now bumps You's version (engine/sessions.ts).
 * The checks compare the live snapshot with a fork's (a fork has no cache).
 */
import { describe, it } from 'vitest';
import { checkSnapshotsFresh, checkReplay, createWorld, ACTIONS, checkWorld, type ChaosStep } from './world';

async function run(scenario: Parameters<typeof createWorld>[0], steps: ChaosStep[]): Promise<void> {
  const w = createWorld(scenario);
  for (const [name, n] of steps) {
    ACTIONS[name](w, n);
    checkSnapshotsFresh(w, `after ${name}`);
    checkWorld(w);
  }
  checkReplay(w, 'at the end');
}

describe('chaos regression: stale snapshots of You', () => {
  it('You log in twice, landing on two nodes: the first node no longer shows You (chaos seed 3)', async () => {
    await run(
      {
        mode: 'compare',
        store: 'memory',
        sticky: false,
        deny: false,
        lb: 'round-robin',
        nodes: 1,
        clients: 1,
        seed: 0,
      },
      [
        ['nodes', 1],
        ['youLogin', 0],
        ['youLogin', 0],
      ],
    );
  });
});

describe("chaos regression: You's expired session", () => {
  it('You log in, then time passes: You and the node holding your session agree (chaos seed 4)', async () => {
    await run(
      {
        mode: 'stateful',
        store: 'memory',
        sticky: false,
        deny: false,
        lb: 'round-robin',
        nodes: 1,
        clients: 1,
        seed: 0,
        speed: 20,
      },
      [
        ['youLogin', 0],
        ['playLong', 0],
        ['play', 5501],
      ],
    );
  });
});
