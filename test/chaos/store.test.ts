/**
 * Chaos against the page's state: random sequences of every user action (test/chaos/world.ts),
 * with DESIGN.md's invariants, the timeline's consistency and "what is shown equals a replay from
 * scratch" checked after each one.
 *
 * CI runs fixed seeds so a red build is reproducible. Explore locally with
 *   CHAOS_SEED=<any> CHAOS_RUNS=200 npx vitest run test/chaos
 * and pin what fails below as a named regression (fast-check prints the shrunk sequence).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { ACTION_NAMES, runChaos, type ChaosStep } from './world';

const scenarioArbitrary = fc.record({
  mode: fc.constantFrom('stateless' as const, 'stateful' as const, 'compare' as const),
  store: fc.constantFrom('memory' as const, 'shared' as const),
  sticky: fc.boolean(),
  deny: fc.boolean(),
  lb: fc.constantFrom('round-robin' as const, 'least-connections' as const, 'random' as const),
  nodes: fc.integer({ min: 1, max: 5 }),
  clients: fc.integer({ min: 1, max: 20 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  speed: fc.constantFrom(1, 5, 20),
});

const stepsArbitrary = fc.array(
  fc.tuple(fc.constantFrom(...ACTION_NAMES), fc.nat({ max: 100_000 })) as fc.Arbitrary<ChaosStep>,
  { minLength: 1, maxLength: 30 },
);

const FC = {
  seed: Number(process.env.CHAOS_SEED ?? 20_260_611),
  numRuns: Number(process.env.CHAOS_RUNS ?? 25),
};

describe('chaos: every user action against the state store', () => {
  it('keeps the invariants, the timeline and replays consistent', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, stepsArbitrary, (scenario, steps) => runChaos(scenario, steps)),
      { ...FC, verbose: 1 },
    );
  }, 120_000);
});

describe('chaos: pinned sequences', () => {
  it('leaving a lesson while a what-if is being replayed does not set the old run playing', async () => {
    await runChaos({ mode: 'stateless', nodes: 1, clients: 1, seed: 0, speed: 1 }, [
      ['play', 1],
      ['whatIfThenAct', 0],
      ['lessonExit', 0],
      ['play', 0],
    ]);
  }, 60_000);

  it('depth: drain, replicated sessions and each balancer preset, with failures between', async () => {
    await runChaos({ mode: 'stateful', nodes: 4, clients: 12, seed: 5, speed: 20 }, [
      ['store', 2],
      ['replication', 1],
      ['playLong', 8_000],
      ['toggleNode', 1],
      ['drain', 2],
      ['play', 3_000],
      ['preset', 1],
      ['playLong', 6_000],
      ['toggleNode', 3],
      ['preset', 2],
      ['play', 2_000],
      ['whatIf', 1],
      ['seek', 400],
    ]);
  }, 60_000);

  it('You log in at time 0, rewind to 0, then view the cart: the replay agrees (seed 2)', async () => {
    await runChaos(
      {
        mode: 'stateless',
        store: 'memory',
        sticky: false,
        deny: false,
        lb: 'round-robin',
        nodes: 1,
        clients: 1,
        seed: 0,
        speed: 1,
      },
      [
        ['play', 1],
        ['youLogin', 0],
        ['seek', 0],
        ['youCart', 0],
      ],
    );
  }, 60_000);

  it('a what-if asked while another is still being replayed, with commands in between', async () => {
    await runChaos({ mode: 'stateful', nodes: 3, clients: 12, seed: 9, speed: 20 }, [
      ['playLong', 10_000],
      ['toggleNode', 1],
      ['youLogin', 0],
      ['whatIfThenAct', 0],
      ['toggleNode', 2],
      ['whatIfThenAct', 1],
      ['youProfile', 0],
      ['play', 2_000],
      ['seek', 500],
      ['whatIf', 2],
    ]);
  }, 60_000);
});
