/** The `preset` key of the link (issue 10): which product's defaults the balancer follows. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, simConfigFor } from '../../src/state/scenario';

describe('preset in the link', () => {
  it('reads preset=nginx and hands it to the engine as balancerPreset', () => {
    const { scenario, notices } = parseScenarioHash('#preset=nginx');
    expect(notices).toEqual([]);
    expect(simConfigFor(scenario, 'stateful', 0).balancerPreset).toBe('nginx');
  });

  it('is written only when it is not the default, so older links stay as they were', () => {
    expect(formatScenarioHash(DEFAULT_SCENARIO)).not.toContain('preset');
    expect(formatScenarioHash({ ...DEFAULT_SCENARIO, preset: 'envoy' })).toContain('preset=envoy');
  });

  it('an unknown preset falls back to haproxy with a notice', () => {
    const { scenario, notices } = parseScenarioHash('#preset=traefik');
    expect(scenario.preset).toBe('haproxy');
    expect(notices).toEqual([
      '"preset=traefik" is not valid (preset takes haproxy, nginx or envoy); using preset=haproxy.',
    ]);
  });
});
