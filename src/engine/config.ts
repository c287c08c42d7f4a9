import type { SimConfig } from './types';

/**
 * Defaults are plausible numbers from real systems, shortened where a classroom needs to see the
 * effect (token lifetime). Health checks follow HAProxy's defaults: inter 2 s, fall 3, rise 2.
 */
export const DEFAULT_CONFIG: Readonly<SimConfig> = Object.freeze({
  seed: 1,
  mode: 'stateful',
  sessionStore: 'memory',
  replication: 'all',
  sticky: true,
  denyList: false,
  balancer: 'round-robin',
  nodes: 3,
  clients: 12,
  // A demo secret for all to see, long enough for HS256 (at least 256 bits: RFC 7518 §3.2).
  jwtSecret: 'classroom-demo-secret-change-me-not-for-production',
  tokenTtlMs: 60_000,
  refreshTokens: false,
  accessTtlMs: 15_000,
  refreshTtlMs: 600_000,
  sessionTtlMs: 120_000,
  healthCheckIntervalMs: 2_000,
  healthCheckFall: 3,
  healthCheckRise: 2,
  retries: 1,
  balancerPreset: 'haproxy',
  idempotencyKeys: false,
  paymentMs: 0,
  workersPerNode: 4,
  clientLatencyMs: 20,
  clusterLatencyMs: 1,
  serviceTimeMs: 5,
  jwtVerifyCostMs: 0.2,
  sessionLookupCostMs: 0.05,
  thinkTimeMinMs: 1_000,
  thinkTimeMaxMs: 3_000,
  epochMs: Date.UTC(2026, 0, 5, 9, 0, 0),
  eventLogSize: 500,
} satisfies SimConfig);

/** HS256 keys must be at least as long as the hash: 256 bits (RFC 7518 §3.2). */
export const JWT_SECRET_MIN_BYTES = 32;
const secretEncoder = new TextEncoder();

/** Why `secret` cannot sign HS256 tokens, or null when it can. */
export function jwtSecretProblem(secret: unknown): string | null {
  if (typeof secret !== 'string') return `must be a string, got ${typeof secret}`;
  const bytes = secretEncoder.encode(secret).length;
  return bytes < JWT_SECRET_MIN_BYTES
    ? `must be at least ${JWT_SECRET_MIN_BYTES} bytes (256 bits, RFC 7518 §3.2) for HS256; this one is ${bytes} bytes`
    : null;
}

/**
 * What each balancer preset does when a node dies, as that product's defaults do (sources in the
 * README, "Balancer presets"). 'haproxy' reads the health-check and retry settings of the config
 * (whose defaults are HAProxy's inter 2 s, fall 3, rise 2; `retries` stays 1 so the default run is
 * unchanged); 'nginx' and 'envoy' run no active checks and judge a node by the traffic it fails.
 */
export const BALANCER_PRESETS = Object.freeze({
  /** Active checks every `healthCheckIntervalMs`; `healthCheckFall` failures mark a node down. */
  haproxy: Object.freeze({ detection: 'active' as const }),
  /**
   * Passive: `max_fails=1` failed attempt within `fail_timeout=10s` makes the server unavailable
   * for 10 s, then it is tried again; a refused connection goes to the next server
   * (`proxy_next_upstream error timeout`, tries: every server once).
   */
  nginx: Object.freeze({ detection: 'passive' as const, failuresToEject: 1, ejectionMs: 10_000 }),
  /**
   * Outlier detection: `consecutive_5xx: 5` ejects a host for `base_ejection_time: 30s` times the
   * number of times it has been ejected; `max_ejection_percent: 10` (at least one host). A route
   * has no retry policy by default: a failed request is not tried elsewhere.
   */
  envoy: Object.freeze({ detection: 'passive' as const, failuresToEject: 5, ejectionMs: 30_000 }),
});

export const LIMITS = {
  nodes: { min: 1, max: 32 },
  clients: { min: 0, max: 5_000 },
  /** The payment provider's wait at the checkout's final POST (ms). */
  paymentMs: { min: 0, max: 10_000 },
} as const;

const CHOICES = {
  mode: ['stateless', 'stateful'],
  sessionStore: ['memory', 'shared', 'replicated'],
  replication: ['all', 'backup'],
  balancer: ['round-robin', 'least-connections', 'random'],
  balancerPreset: ['haproxy', 'nginx', 'envoy'],
} as const;

/** Thrown for an invalid configuration; the message names the field and what it accepts. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function checkInteger(field: keyof SimConfig, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      field,
      `config.${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
}

function checkNumber(field: keyof SimConfig, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(field, `config.${field} must be a number ≥ ${min}, got ${JSON.stringify(value)}`);
  }
}

/** Merges `partial` over the defaults and validates every field. */
export function resolveConfig(partial: Partial<SimConfig> = {}): SimConfig {
  if (partial === null || typeof partial !== 'object') {
    throw new ConfigError('config', `config must be an object, got ${JSON.stringify(partial)}`);
  }
  const known = new Set(Object.keys(DEFAULT_CONFIG));
  for (const key of Object.keys(partial)) {
    if (!known.has(key))
      throw new ConfigError(key, `config.${key} is not a setting; known settings: ${[...known].join(', ')}`);
  }
  const config: SimConfig = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }

  for (const [field, allowed] of Object.entries(CHOICES) as [keyof typeof CHOICES, readonly string[]][]) {
    if (!allowed.includes(config[field])) {
      throw new ConfigError(
        field,
        `config.${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(config[field])}`,
      );
    }
  }
  if (typeof config.sticky !== 'boolean')
    throw new ConfigError('sticky', `config.sticky must be true or false, got ${JSON.stringify(config.sticky)}`);
  if (typeof config.denyList !== 'boolean')
    throw new ConfigError('denyList', `config.denyList must be true or false, got ${JSON.stringify(config.denyList)}`);
  if (typeof config.refreshTokens !== 'boolean')
    throw new ConfigError(
      'refreshTokens',
      `config.refreshTokens must be true or false, got ${JSON.stringify(config.refreshTokens)}`,
    );
  if (typeof config.idempotencyKeys !== 'boolean')
    throw new ConfigError(
      'idempotencyKeys',
      `config.idempotencyKeys must be true or false, got ${JSON.stringify(config.idempotencyKeys)}`,
    );
  const secretProblem = jwtSecretProblem(config.jwtSecret);
  if (secretProblem !== null) throw new ConfigError('jwtSecret', `config.jwtSecret ${secretProblem}`);
  checkInteger('seed', config.seed, -(2 ** 31), 2 ** 32 - 1);
  checkInteger('nodes', config.nodes, LIMITS.nodes.min, LIMITS.nodes.max);
  checkInteger('clients', config.clients, LIMITS.clients.min, LIMITS.clients.max);
  checkInteger('healthCheckFall', config.healthCheckFall, 1, 100);
  checkInteger('healthCheckRise', config.healthCheckRise, 1, 100);
  checkInteger('retries', config.retries, 0, 10);
  checkInteger('workersPerNode', config.workersPerNode, 1, 1_000);
  checkInteger('eventLogSize', config.eventLogSize, 0, 100_000);
  checkNumber('tokenTtlMs', config.tokenTtlMs, 1_000);
  checkNumber('accessTtlMs', config.accessTtlMs, 1_000);
  checkNumber('refreshTtlMs', config.refreshTtlMs, config.accessTtlMs);
  checkNumber('sessionTtlMs', config.sessionTtlMs, 1_000);
  checkNumber('healthCheckIntervalMs', config.healthCheckIntervalMs, 1);
  checkNumber('clientLatencyMs', config.clientLatencyMs, 0);
  checkNumber('clusterLatencyMs', config.clusterLatencyMs, 0);
  checkNumber('serviceTimeMs', config.serviceTimeMs, 0.01);
  checkNumber('jwtVerifyCostMs', config.jwtVerifyCostMs, 0);
  checkNumber('sessionLookupCostMs', config.sessionLookupCostMs, 0);
  checkInteger('paymentMs', config.paymentMs, 0, LIMITS.paymentMs.max);
  checkNumber('thinkTimeMinMs', config.thinkTimeMinMs, 1);
  checkNumber('thinkTimeMaxMs', config.thinkTimeMaxMs, config.thinkTimeMinMs);
  checkNumber('epochMs', config.epochMs, 0);
  return config;
}
