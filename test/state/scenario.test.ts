/**
 * The shareable scenario in the URL hash (contract §3): what a teacher puts in a link comes back
 * exactly, and a typo never blanks the page — it falls back to the default and says so.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, type Scenario } from '../../src/state/scenario';
import { extraHashParams, scenarioChanges } from '../../src/state/hashSync';

describe('a scenario link', () => {
  it('round-trips every setting through the hash', () => {
    const scenario: Scenario = { ...DEFAULT_SCENARIO, mode: 'compare', store: 'shared', sticky: false, lb: 'least-connections', nodes: 5, clients: 40, seed: 7, speed: 2.5 };
    const parsed = parseScenarioHash(formatScenarioHash(scenario));
    expect(parsed.scenario).toEqual(scenario);
    expect(parsed.notices).toEqual([]);
  });

  it('reads the example of the contract', () => {
    const { scenario, notices } = parseScenarioHash('#mode=stateful&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=7&speed=1');
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, seed: 7 });
    expect(notices).toEqual([]);
  });

  it('formats the defaults with the keys of the contract in its order', () => {
    const params = new URLSearchParams(formatScenarioHash(DEFAULT_SCENARIO).slice(1));
    const contract = new URLSearchParams('mode=stateful&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=1&speed=1');
    // Later additions (a new setting) may sit between them; the contract's keys keep their order.
    expect([...params.keys()].filter((key) => contract.has(key))).toEqual([...contract.keys()]);
    for (const [key, value] of contract) expect(params.get(key)).toBe(value);
  });

  it('takes the hash with or without its leading #, and an empty hash means the defaults', () => {
    expect(parseScenarioHash('mode=stateless').scenario.mode).toBe('stateless');
    expect(parseScenarioHash('#mode=stateless').scenario.mode).toBe('stateless');
    expect(parseScenarioHash('')).toEqual({ scenario: DEFAULT_SCENARIO, notices: [] });
    expect(parseScenarioHash('#')).toEqual({ scenario: DEFAULT_SCENARIO, notices: [] });
  });

  it('accepts sticky as true/false too', () => {
    expect(parseScenarioHash('#sticky=false').scenario.sticky).toBe(false);
    expect(parseScenarioHash('#sticky=true').scenario.sticky).toBe(true);
  });
});

describe('a bad value in the link', () => {
  const bad: [keyof Scenario, string][] = [
    ['mode', 'stateful-ish'], ['mode', ''],
    ['store', 'redis'],
    ['sticky', 'yes'],
    ['lb', 'fastest'],
    ['nodes', 'banana'], ['nodes', '0'], ['nodes', '13'], ['nodes', '2.5'],
    ['clients', '-1'], ['clients', '0'], ['clients', '201'], ['clients', '1e2'],
    ['seed', 'x'], ['seed', '-3'], ['seed', String(2 ** 31)],
    ['speed', 'fast'], ['speed', '0'], ['speed', '0.1'], ['speed', '21'], ['speed', 'Infinity'], ['speed', ''],
  ];

  it.each(bad)('%s=%s falls back to the default with a notice naming the key', (key, raw) => {
    const { scenario, notices } = parseScenarioHash(`#${key}=${encodeURIComponent(raw)}`);
    expect(scenario).toEqual(DEFAULT_SCENARIO);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`${key}=`);
    expect(notices[0]).toContain(`using ${key}=`);
  });

  it('keeps the good values next to a bad one', () => {
    const { scenario, notices } = parseScenarioHash('#mode=stateless&nodes=banana&seed=7');
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, mode: 'stateless', seed: 7 });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/nodes=banana/);
  });

  it('gives one notice per bad key', () => {
    expect(parseScenarioHash('#mode=x&store=y&lb=z').notices).toHaveLength(3);
  });
});

describe('unknown keys', () => {
  it('are ignored when reading', () => {
    expect(parseScenarioHash('#step=4&colour=red&mode=stateless')).toEqual({ scenario: { ...DEFAULT_SCENARIO, mode: 'stateless' }, notices: [] });
  });

  it('are carried over when the hash is rewritten', () => {
    const extra = extraHashParams('#mode=stateful&lesson=crash&step=4');
    expect(extra).toEqual({ lesson: 'crash', step: '4' });
    const hash = formatScenarioHash({ ...DEFAULT_SCENARIO, mode: 'stateless' }, extra);
    expect(hash.startsWith('#mode=stateless&store=memory&sticky=1&')).toBe(true);
    expect(hash.endsWith('&speed=1&lesson=crash&step=4')).toBe(true);
  });
});

describe('scenarioChanges', () => {
  it('lists only the keys that differ', () => {
    expect(scenarioChanges(DEFAULT_SCENARIO, { ...DEFAULT_SCENARIO, seed: 9, speed: 2 })).toEqual({ seed: 9, speed: 2 });
    expect(scenarioChanges(DEFAULT_SCENARIO, { ...DEFAULT_SCENARIO })).toEqual({});
  });
});
