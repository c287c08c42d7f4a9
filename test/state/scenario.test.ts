/**
 * The shareable scenario in the URL hash (contract §3): what a teacher puts in a link comes back
 * exactly, and a typo never blanks the page: a number out of range is clamped to the nearest limit,
 * a value of the wrong type falls back to the default, and the page says so.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO,
  formatScenarioHash,
  parseScenarioHash,
  SCENARIO_LIMITS,
  type Scenario,
} from '../../src/state/scenario';
import { extraHashParams, scenarioChanges } from '../../src/state/hashSync';

describe('a scenario link', () => {
  it('round-trips every setting through the hash', () => {
    const scenario: Scenario = {
      ...DEFAULT_SCENARIO,
      mode: 'compare',
      store: 'shared',
      sticky: false,
      lb: 'least-connections',
      nodes: 5,
      clients: 40,
      seed: 7,
      speed: 2.5,
    };
    const parsed = parseScenarioHash(formatScenarioHash(scenario));
    expect(parsed.scenario).toEqual(scenario);
    expect(parsed.notices).toEqual([]);
  });

  it('reads the example of the contract', () => {
    const { scenario, notices } = parseScenarioHash(
      '#mode=stateful&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=7&speed=1',
    );
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, seed: 7 });
    expect(notices).toEqual([]);
  });

  it('formats the defaults with the keys of the contract in its order', () => {
    const params = new URLSearchParams(formatScenarioHash(DEFAULT_SCENARIO).slice(1));
    const contract = new URLSearchParams(
      'mode=stateful&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=1&speed=1',
    );
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

describe('a value of the wrong type in the link', () => {
  const DEFAULTS_AS_TYPED: Record<Exclude<keyof Scenario, 'secret'>, string> = {
    mode: 'stateful',
    store: 'memory',
    replication: 'all',
    sticky: '1',
    deny: '0',
    refresh: '0',
    lb: 'round-robin',
    preset: 'haproxy',
    nodes: '3',
    clients: '12',
    seed: '1',
    speed: '1',
    idem: '0',
    pay: '0',
  };
  const bad: [Exclude<keyof Scenario, 'secret'>, string][] = [
    ['mode', 'stateful-ish'],
    ['mode', ''],
    ['mode', 'STATEFUL'],
    ['store', 'redis'],
    ['replication', 'some'],
    ['sticky', 'yes'],
    ['lb', 'fastest'],
    ['preset', 'traefik'],
    ['nodes', 'banana'],
    ['nodes', '2.5'],
    ['nodes', '0x10'],
    ['nodes', ''],
    ['nodes', '3 nodes'],
    ['clients', 'Infinity'],
    ['clients', 'NaN'],
    ['clients', '12.5'],
    ['clients', '1,000'],
    ['seed', 'x'],
    ['seed', '<script>alert(1)</script>'],
    ['speed', 'fast'],
    ['speed', 'Infinity'],
    ['speed', ''],
    ['speed', '١'],
    ['deny', '2'],
    ['idem', 'yes'],
    ['pay', 'slow'],
    ['pay', '1.5'],
  ];

  it.each(bad)('%s=%s falls back to the default with a notice naming the key', (key, raw) => {
    const { scenario, notices } = parseScenarioHash(`#${key}=${encodeURIComponent(raw)}`);
    expect(scenario).toEqual(DEFAULT_SCENARIO);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`"${key}=`);
    expect(notices[0]).toContain(`is not valid (${key} takes `);
    expect(notices[0]).toContain(`using ${key}=${DEFAULTS_AS_TYPED[key]}.`);
  });

  it('keeps the good values next to a bad one', () => {
    const { scenario, notices } = parseScenarioHash('#mode=stateless&nodes=banana&seed=7');
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, mode: 'stateless', seed: 7 });
    expect(notices).toEqual(['"nodes=banana" is not valid (nodes takes a whole number from 1 to 12); using nodes=3.']);
  });

  it('gives one notice per bad key', () => {
    expect(parseScenarioHash('#mode=x&store=y&lb=z').notices).toHaveLength(3);
  });

  it('repeats at most 40 characters of what was typed, without splitting an emoji', () => {
    const { notices } = parseScenarioHash(`#mode=${encodeURIComponent('💥'.repeat(5000))}`);
    expect(notices[0]).toContain(`"mode=${'💥'.repeat(40)}…"`);
    expect(notices[0]!.length).toBeLessThan(200);
  });
});

describe('a number out of range in the link is clamped to the nearest limit', () => {
  const max = SCENARIO_LIMITS;
  const cases: [string, keyof typeof SCENARIO_LIMITS, number, 'above' | 'below'][] = [
    ['clients=1001', 'clients', max.clients.max, 'above'],
    ['clients=100000', 'clients', max.clients.max, 'above'],
    [`clients=${'9'.repeat(400)}`, 'clients', max.clients.max, 'above'],
    ['clients=1e999', 'clients', max.clients.max, 'above'],
    ['clients=0', 'clients', max.clients.min, 'below'],
    ['clients=-1', 'clients', max.clients.min, 'below'],
    ['clients=-1e999', 'clients', max.clients.min, 'below'],
    ['nodes=0', 'nodes', max.nodes.min, 'below'],
    ['nodes=-5', 'nodes', max.nodes.min, 'below'],
    ['nodes=0.5', 'nodes', max.nodes.min, 'below'],
    ['nodes=13', 'nodes', max.nodes.max, 'above'],
    ['nodes=99999999999999999999', 'nodes', max.nodes.max, 'above'],
    ['seed=-3', 'seed', 0, 'below'],
    [`seed=${2 ** 31}`, 'seed', 2 ** 31 - 1, 'above'],
    ['speed=0', 'speed', max.speed.min, 'below'],
    ['speed=0.1', 'speed', max.speed.min, 'below'],
    ['speed=21', 'speed', max.speed.max, 'above'],
    ['speed=1e6', 'speed', max.speed.max, 'above'],
  ];

  it.each(cases)('%s → %s=%d, with a notice', (pair, key, expected, side) => {
    const { scenario, notices } = parseScenarioHash(`#${pair}`);
    expect(scenario).toEqual({ ...DEFAULT_SCENARIO, [key]: expected });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(
      `is ${side} the ${side === 'above' ? 'maximum' : 'minimum'}; using ${key}=${expected} (${key} goes from ${max[key].min} to ${max[key].max}).`,
    );
  });

  it('says exactly what it did with clients=5000', () => {
    expect(parseScenarioHash('#clients=5000').notices).toEqual([
      '"clients=5000" is above the maximum; using clients=1000 (clients goes from 1 to 1000).',
    ]);
    expect(parseScenarioHash('#nodes=0').notices).toEqual([
      '"nodes=0" is below the minimum; using nodes=1 (nodes goes from 1 to 12).',
    ]);
  });

  it('takes the limits themselves without a notice, and numbers written another way', () => {
    const ends = `#nodes=${max.nodes.max}&clients=${max.clients.min}&seed=${max.seed.max}&speed=${max.speed.min}`;
    expect(parseScenarioHash(ends).notices).toEqual([]);
    expect(parseScenarioHash('#clients=1e2&nodes=+4&seed=-0&speed=.5')).toEqual({
      scenario: { ...DEFAULT_SCENARIO, clients: 100, nodes: 4, seed: 0, speed: 0.5 },
      notices: [],
    });
    expect(parseScenarioHash('#nodes=%204%20').scenario.nodes).toBe(4);
  });

  it('the clamped scenario goes back into the link as the limit', () => {
    const { scenario } = parseScenarioHash('#clients=5000&nodes=0');
    const params = new URLSearchParams(formatScenarioHash(scenario).slice(1));
    expect(params.get('clients')).toBe('1000');
    expect(params.get('nodes')).toBe('1');
  });
});

describe('unknown keys', () => {
  it('are ignored when reading', () => {
    expect(parseScenarioHash('#step=4&colour=red&mode=stateless')).toEqual({
      scenario: { ...DEFAULT_SCENARIO, mode: 'stateless' },
      notices: [],
    });
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
    expect(scenarioChanges(DEFAULT_SCENARIO, { ...DEFAULT_SCENARIO, seed: 9, speed: 2 })).toEqual({
      seed: 9,
      speed: 2,
    });
    expect(scenarioChanges(DEFAULT_SCENARIO, { ...DEFAULT_SCENARIO })).toEqual({});
  });
});
