/** The link keys of issue 10's retried orders: `idem` (idempotency keys) and `pay` (the payment provider's wait, ms). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, simConfigFor } from '../../src/state/scenario';

describe('idem and pay in the link', () => {
  it('are written only when set, and read back', () => {
    expect(formatScenarioHash(DEFAULT_SCENARIO)).not.toMatch(/idem|pay/);
    const hash = formatScenarioHash({ ...DEFAULT_SCENARIO, mode: 'stateless', idem: true, pay: 2000 });
    expect(hash).toMatch(/&idem=1&pay=2000$/);
    const { scenario, notices } = parseScenarioHash(hash);
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, mode: 'stateless', idem: true, pay: 2000 });
    expect(notices).toEqual([]);
  });

  it('reach the engine as idempotencyKeys and paymentMs', () => {
    const config = simConfigFor({ ...DEFAULT_SCENARIO, idem: true, pay: 1500 }, 'stateless', 0);
    expect(config.idempotencyKeys).toBe(true);
    expect(config.paymentMs).toBe(1500);
    expect(simConfigFor(DEFAULT_SCENARIO, 'stateful', 0)).toMatchObject({ idempotencyKeys: false, paymentMs: 0 });
  });

  it('a wait out of range is clamped to 0–10000 ms with a notice; a word falls back to 0', () => {
    const above = parseScenarioHash('#pay=99999');
    expect(above.scenario.pay).toBe(10_000);
    expect(above.notices).toEqual(['"pay=99999" is above the maximum; using pay=10000 (pay goes from 0 to 10000).']);
    const below = parseScenarioHash('#pay=-5');
    expect(below.scenario.pay).toBe(0);
    expect(below.notices).toHaveLength(1);
    const word = parseScenarioHash('#idem=maybe&pay=slow');
    expect(word.scenario).toEqual(DEFAULT_SCENARIO);
    expect(word.notices).toEqual([
      '"idem=maybe" is not valid (idem takes 1 or 0); using idem=0.',
      '"pay=slow" is not valid (pay takes a whole number of ms from 0 to 10000); using pay=0.',
    ]);
  });
});
