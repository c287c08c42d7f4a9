/** The link key of issue 10's refresh tokens: `refresh=1`. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, simConfigFor } from '../../src/state/scenario';

describe('refresh in the link', () => {
  it('is written only when set, and read back', () => {
    expect(formatScenarioHash(DEFAULT_SCENARIO)).not.toMatch(/refresh/);
    const hash = formatScenarioHash({ ...DEFAULT_SCENARIO, mode: 'stateless', deny: true, refresh: true });
    expect(hash).toMatch(/&deny=1&refresh=1$/);
    const { scenario, notices } = parseScenarioHash(hash);
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, mode: 'stateless', deny: true, refresh: true });
    expect(notices).toEqual([]);
  });

  it('reaches the engine as refreshTokens, in stateless clusters only', () => {
    const on = { ...DEFAULT_SCENARIO, mode: 'compare' as const, refresh: true };
    expect(simConfigFor(on, 'stateless', 0).refreshTokens).toBe(true);
    expect(simConfigFor(on, 'stateful', 0).refreshTokens).toBe(false);
    expect(simConfigFor(DEFAULT_SCENARIO, 'stateless', 0).refreshTokens).toBe(false);
  });

  it('a word falls back to 0 with a notice', () => {
    const word = parseScenarioHash('#refresh=sometimes');
    expect(word.scenario).toEqual(DEFAULT_SCENARIO);
    expect(word.notices).toEqual(['"refresh=sometimes" is not valid (refresh takes 1 or 0); using refresh=0.']);
  });
});
