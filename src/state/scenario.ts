/**
 * The scenario a teacher sets up, and its shareable form in the URL hash (contract §3):
 * `#mode=stateful&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=7&speed=1`.
 * Unknown keys are ignored; a bad value falls back to its default with a notice.
 */
import { LIMITS, type BalancerStrategy, type Mode, type SessionStoreKind, type SimConfig } from '../engine';

export type ViewMode = 'stateless' | 'stateful' | 'compare';

export interface Scenario {
  mode: ViewMode;
  store: SessionStoreKind;
  sticky: boolean;
  /** Stateless logout revokes tokens through a deny-list in a shared store. */
  deny: boolean;
  lb: BalancerStrategy;
  nodes: number;
  clients: number;
  seed: number;
  /** Simulated seconds per wall second. */
  speed: number;
}

export const DEFAULT_SCENARIO: Readonly<Scenario> = Object.freeze({
  mode: 'stateful',
  store: 'memory',
  sticky: true,
  deny: false,
  lb: 'round-robin',
  nodes: 3,
  clients: 12,
  seed: 1,
  speed: 1,
});

export const SPEED_LIMITS = { min: 0.25, max: 20 } as const;
/** The page draws every client; more than this would not fit on a projector. */
export const PAGE_CLIENT_LIMIT = 200;
export const PAGE_NODE_LIMIT = 12;

type Parser<K extends keyof Scenario> = (raw: string) => Scenario[K] | undefined;

function oneOf<T extends string>(...allowed: T[]): (raw: string) => T | undefined {
  return (raw) => (allowed as string[]).includes(raw) ? (raw as T) : undefined;
}

function flag(raw: string): boolean | undefined {
  return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined;
}

function integer(min: number, max: number): (raw: string) => number | undefined {
  return (raw) => {
    if (!/^-?\d+$/.test(raw)) return undefined;
    const value = Number(raw);
    return value >= min && value <= max ? value : undefined;
  };
}

const PARSERS: { [K in keyof Scenario]: { parse: Parser<K>; accepts: string } } = {
  mode: { parse: oneOf('stateless', 'stateful', 'compare'), accepts: 'stateless, stateful or compare' },
  store: { parse: oneOf('memory', 'shared'), accepts: 'memory or shared' },
  sticky: { parse: flag, accepts: '1 or 0' },
  lb: { parse: oneOf('round-robin', 'least-connections', 'random'), accepts: 'round-robin, least-connections or random' },
  nodes: { parse: integer(LIMITS.nodes.min, PAGE_NODE_LIMIT), accepts: `a whole number from ${LIMITS.nodes.min} to ${PAGE_NODE_LIMIT}` },
  clients: { parse: integer(1, PAGE_CLIENT_LIMIT), accepts: `a whole number from 1 to ${PAGE_CLIENT_LIMIT}` },
  seed: { parse: integer(0, 2 ** 31 - 1), accepts: 'a whole number from 0' },
  speed: {
    parse: (raw) => {
      const value = Number(raw);
      return raw !== '' && Number.isFinite(value) && value >= SPEED_LIMITS.min && value <= SPEED_LIMITS.max ? value : undefined;
    },
    accepts: `a number from ${SPEED_LIMITS.min} to ${SPEED_LIMITS.max}`,
  },
  deny: { parse: flag, accepts: '1 or 0' },
};

export interface ParsedScenario {
  scenario: Scenario;
  /** One line per value that was ignored, for a visible notice. */
  notices: string[];
}

/** Reads a scenario from a URL hash (with or without the leading '#'). Never throws. */
export function parseScenarioHash(hash: string): ParsedScenario {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const scenario: Scenario = { ...DEFAULT_SCENARIO };
  const notices: string[] = [];
  for (const key of Object.keys(PARSERS) as (keyof Scenario)[]) {
    const raw = params.get(key);
    if (raw === null) continue;
    const { parse, accepts } = PARSERS[key] as { parse: (raw: string) => unknown; accepts: string };
    const value = parse(raw.trim());
    if (value === undefined) {
      notices.push(`"${key}=${raw}" is not valid (${key} takes ${accepts}); using ${key}=${formatValue(DEFAULT_SCENARIO[key])}.`);
    } else {
      (scenario as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return { scenario, notices };
}

function formatValue(value: Scenario[keyof Scenario]): string {
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

/** Keys written only when they differ from the default, so links without them stay short. */
const OPTIONAL_KEYS: ReadonlySet<keyof Scenario> = new Set(['deny']);

/** The hash for a scenario, keys in a fixed order. */
export function formatScenarioHash(scenario: Scenario, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(PARSERS) as (keyof Scenario)[]) {
    if (OPTIONAL_KEYS.has(key) && scenario[key] === DEFAULT_SCENARIO[key]) continue;
    params.set(key, formatValue(scenario[key]));
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return `#${params.toString()}`;
}

/** The engine clusters a scenario shows: one, or both side by side in Compare mode. */
export function clusterModesFor(scenario: Scenario): Mode[] {
  return scenario.mode === 'compare' ? ['stateless', 'stateful'] : [scenario.mode];
}

/** The engine configuration of one cluster of a scenario. */
export function simConfigFor(scenario: Scenario, mode: Mode, epochMs: number): Partial<SimConfig> {
  return {
    mode, sessionStore: scenario.store, sticky: scenario.sticky, denyList: mode === 'stateless' && scenario.deny, balancer: scenario.lb,
    nodes: scenario.nodes, clients: scenario.clients, seed: scenario.seed, epochMs,
  };
}
