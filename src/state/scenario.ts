/**
 * The scenario a teacher sets up, and its shareable form in the URL hash (contract §3):
 * `#mode=stateful&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=7&speed=1`.
 * Unknown keys are ignored; a number out of range is clamped to the nearest limit and a value of the
 * wrong type falls back to its default, each with a notice (contract §6).
 */
import {
  createSimulation,
  LIMITS,
  type BalancerPreset,
  type BalancerStrategy,
  type Mode,
  type ReplicationKind,
  type SessionStoreKind,
  type SimConfig,
  type Simulation,
} from '../engine';
import type { ClusterKey } from './clusterKey';

export type ViewMode = 'stateless' | 'stateful' | 'compare';

export interface Scenario {
  mode: ViewMode;
  store: SessionStoreKind;
  /** With `store: 'replicated'`: copies on every node ('all') or on one backup node ('backup'). */
  replication: ReplicationKind;
  sticky: boolean;
  /** Stateless logout revokes tokens through a deny-list in a shared store. */
  deny: boolean;
  /** Stateless: 15 s access tokens renewed with refresh tokens whose records live in a shared store. */
  refresh: boolean;
  lb: BalancerStrategy;
  /** Whose defaults the balancer follows when a node dies (HAProxy, nginx or Envoy). */
  preset: BalancerPreset;
  nodes: number;
  clients: number;
  seed: number;
  /** Simulated seconds per wall second. */
  speed: number;
  /** The checkout's final POST carries an idempotency key: a retried POST never places a second order. */
  idem: boolean;
  /** Ms the checkout's final POST waits on the payment provider after writing the order (0: not modelled). */
  pay: number;
  /** The HS256 secret (Settings); the engine's demo default when absent. Never written to the link. */
  secret?: string;
}

export const DEFAULT_SCENARIO: Readonly<Scenario> = Object.freeze({
  mode: 'stateful',
  store: 'memory',
  replication: 'all',
  sticky: true,
  deny: false,
  refresh: false,
  lb: 'round-robin',
  preset: 'haproxy',
  nodes: 3,
  clients: 12,
  seed: 1,
  speed: 1,
  idem: false,
  pay: 0,
});

export const SPEED_LIMITS = { min: 0.25, max: 20 } as const;
/** A big lecture hall: the stage draws the first clients one by one and sums up the rest (ClientColumn). */
export const PAGE_CLIENT_LIMIT = 1_000;
export const PAGE_NODE_LIMIT = 12;

/** The numbers a link may set, and their ranges; a number outside is clamped to the nearest end. */
export const SCENARIO_LIMITS = {
  nodes: { min: LIMITS.nodes.min, max: PAGE_NODE_LIMIT, whole: true },
  clients: { min: 1, max: PAGE_CLIENT_LIMIT, whole: true },
  seed: { min: 0, max: 2 ** 31 - 1, whole: true },
  speed: { min: SPEED_LIMITS.min, max: SPEED_LIMITS.max, whole: false },
  pay: { min: LIMITS.paymentMs.min, max: LIMITS.paymentMs.max, whole: true },
} as const;

type NumberKey = keyof typeof SCENARIO_LIMITS;

/** What a parser makes of a raw value: the value, a clamped value, or nothing (wrong type). */
type Parsed<T> = { value: T; clampedFrom?: 'below' | 'above' } | undefined;
type Parser<K extends keyof Scenario> = (raw: string) => Parsed<Scenario[K]>;

function oneOf<T extends string>(...allowed: T[]): (raw: string) => Parsed<T> {
  return (raw) => ((allowed as string[]).includes(raw) ? { value: raw as T } : undefined);
}

function flag(raw: string): Parsed<boolean> {
  return raw === '1' || raw === 'true'
    ? { value: true }
    : raw === '0' || raw === 'false'
      ? { value: false }
      : undefined;
}

/** A plain decimal number as a person types it (no hex, no "Infinity", no spaces inside). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number in range, or clamped to the nearest limit when outside it (a number too large for
 * JavaScript, 1e999, is simply above the maximum). A fraction where a whole number is wanted is the
 * wrong type, like a word.
 */
function number(key: NumberKey): (raw: string) => Parsed<number> {
  const { min, max, whole } = SCENARIO_LIMITS[key];
  return (raw) => {
    if (!DECIMAL.test(raw)) return undefined;
    const value = Number(raw);
    if (value < min) return { value: min, clampedFrom: 'below' };
    if (value > max) return { value: max, clampedFrom: 'above' };
    if (whole && !Number.isInteger(value)) return undefined;
    // "-0" is 0, not -0, in the hash.
    return { value: value === 0 ? 0 : value };
  };
}

function range(key: NumberKey): string {
  const { min, max } = SCENARIO_LIMITS[key];
  return `from ${min} to ${max}`;
}

const PARSERS: { [K in keyof Scenario]: { parse: Parser<K>; accepts: string } } = {
  mode: { parse: oneOf('stateless', 'stateful', 'compare'), accepts: 'stateless, stateful or compare' },
  store: { parse: oneOf('memory', 'shared', 'replicated'), accepts: 'memory, shared or replicated' },
  replication: { parse: oneOf('all', 'backup'), accepts: 'all or backup' },
  sticky: { parse: flag, accepts: '1 or 0' },
  lb: {
    parse: oneOf('round-robin', 'least-connections', 'random'),
    accepts: 'round-robin, least-connections or random',
  },
  preset: { parse: oneOf('haproxy', 'nginx', 'envoy'), accepts: 'haproxy, nginx or envoy' },
  nodes: { parse: number('nodes'), accepts: `a whole number ${range('nodes')}` },
  clients: { parse: number('clients'), accepts: `a whole number ${range('clients')}` },
  seed: { parse: number('seed'), accepts: `a whole number ${range('seed')}` },
  speed: { parse: number('speed'), accepts: `a number ${range('speed')}` },
  deny: { parse: flag, accepts: '1 or 0' },
  refresh: { parse: flag, accepts: '1 or 0' },
  idem: { parse: flag, accepts: '1 or 0' },
  pay: { parse: number('pay'), accepts: `a whole number of ms ${range('pay')}` },
};

export interface ParsedScenario {
  scenario: Scenario;
  /** One line per value that was ignored or clamped, for a visible notice. */
  notices: string[];
}

/** At most this many characters of a value typed into the link are repeated in a notice. */
export const NOTICE_VALUE_CHARS = 40;

/** A value from the link, shortened for a notice (whole characters, emoji included). */
export function quoteForNotice(raw: string): string {
  const chars = Array.from(raw);
  return chars.length > NOTICE_VALUE_CHARS ? `${chars.slice(0, NOTICE_VALUE_CHARS).join('')}…` : raw;
}

/**
 * Reads a scenario from a URL hash (with or without the leading '#'). Never throws.
 * - a number outside its range is clamped to the nearest limit, with a notice;
 * - a value of the wrong type (a word for a number, an unknown mode) falls back to the default,
 *   with a notice;
 * - unknown keys are ignored.
 */
export function parseScenarioHash(hash: string): ParsedScenario {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const scenario: Scenario = { ...DEFAULT_SCENARIO };
  const notices: string[] = [];
  for (const key of Object.keys(PARSERS) as (keyof Scenario)[]) {
    const raw = params.get(key);
    if (raw === null) continue;
    const { parse, accepts } = PARSERS[key] as {
      parse: (raw: string) => Parsed<Scenario[keyof Scenario]>;
      accepts: string;
    };
    const parsed = parse(raw.trim());
    const typed = `"${key}=${quoteForNotice(raw)}"`;
    if (parsed === undefined) {
      notices.push(
        `${typed} is not valid (${key} takes ${accepts}); using ${key}=${formatValue(DEFAULT_SCENARIO[key])}.`,
      );
      continue;
    }
    (scenario as unknown as Record<string, unknown>)[key] = parsed.value;
    if (parsed.clampedFrom === 'above') {
      notices.push(
        `${typed} is above the maximum; using ${key}=${formatValue(parsed.value)} (${key} goes ${range(key as NumberKey)}).`,
      );
    } else if (parsed.clampedFrom === 'below') {
      notices.push(
        `${typed} is below the minimum; using ${key}=${formatValue(parsed.value)} (${key} goes ${range(key as NumberKey)}).`,
      );
    }
  }
  return { scenario, notices };
}

function formatValue(value: Scenario[keyof Scenario]): string {
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

/** Keys written only when they differ from the default, so links without them stay short. */
const OPTIONAL_KEYS: ReadonlySet<keyof Scenario> = new Set(['deny', 'refresh', 'preset', 'idem', 'pay']);

/** The hash for a scenario, keys in a fixed order. */
export function formatScenarioHash(scenario: Scenario, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(PARSERS) as (keyof Scenario)[]) {
    if (OPTIONAL_KEYS.has(key) && scenario[key] === DEFAULT_SCENARIO[key]) continue;
    // Replication means something only with replicated sessions (`store=replicated&replication=backup`);
    // elsewhere it is written only when not the default, so a link still reads back what it wrote.
    if (
      key === 'replication' &&
      scenario.store !== 'replicated' &&
      scenario.replication === DEFAULT_SCENARIO.replication
    )
      continue;
    params.set(key, formatValue(scenario[key]));
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return `#${params.toString()}`;
}

/** The engine clusters a scenario shows: one, or both side by side in Compare mode. */
export function clusterModesFor(scenario: Scenario): Mode[] {
  return scenario.mode === 'compare' ? ['stateless', 'stateful'] : [scenario.mode];
}

/** Fresh clusters (time 0) of a run of `scenario` that started at `epochMs` (wall time, for tokens' iat). */
export function createClusters(scenario: Scenario, epochMs: number): Map<ClusterKey, Simulation> {
  return new Map(clusterModesFor(scenario).map((key) => [key, createSimulation(simConfigFor(scenario, key, epochMs))]));
}

/** The engine configuration of one cluster of a scenario. */
export function simConfigFor(scenario: Scenario, mode: Mode, epochMs: number): Partial<SimConfig> {
  return {
    mode,
    sessionStore: scenario.store,
    replication: scenario.replication,
    sticky: scenario.sticky,
    denyList: mode === 'stateless' && scenario.deny,
    refreshTokens: mode === 'stateless' && scenario.refresh,
    balancer: scenario.lb,
    balancerPreset: scenario.preset,
    idempotencyKeys: scenario.idem,
    paymentMs: scenario.pay,
    nodes: scenario.nodes,
    clients: scenario.clients,
    seed: scenario.seed,
    epochMs,
    ...(scenario.secret !== undefined ? { jwtSecret: scenario.secret } : {}),
  };
}
