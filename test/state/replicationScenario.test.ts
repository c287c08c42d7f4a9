/** The link's `store=replicated&replication=all|backup` (contract §3, §5). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, simConfigFor } from '../../src/state/scenario';

describe('replicated sessions in the link', () => {
  it('reads store=replicated with its replication, and gives them to the engine', () => {
    const { scenario, notices } = parseScenarioHash('#store=replicated&replication=backup');
    expect(notices).toEqual([]);
    expect(scenario).toMatchObject({ store: 'replicated', replication: 'backup' });
    expect(simConfigFor(scenario, 'stateful', 0)).toMatchObject({ sessionStore: 'replicated', replication: 'backup' });
  });

  it("replication defaults to 'all', and a bad value falls back to it with a notice", () => {
    expect(parseScenarioHash('#store=replicated').scenario.replication).toBe('all');
    const { scenario, notices } = parseScenarioHash('#store=replicated&replication=twice');
    expect(scenario.replication).toBe('all');
    expect(notices).toEqual([
      '"replication=twice" is not valid (replication takes all or backup); using replication=all.',
    ]);
  });

  it('writes replication only when sessions are replicated, and reads back what it wrote', () => {
    expect(formatScenarioHash(DEFAULT_SCENARIO)).not.toContain('replication');
    const replicated = { ...DEFAULT_SCENARIO, store: 'replicated' as const, replication: 'backup' as const };
    const hash = formatScenarioHash(replicated);
    expect(hash).toContain('store=replicated&replication=backup');
    expect(parseScenarioHash(hash).scenario).toEqual(replicated);
  });
});
