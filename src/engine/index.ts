/**
 * The engine's only door. A deterministic, discrete-event simulation of clients, a load balancer,
 * server nodes and an optional shared session store — pure TypeScript, no DOM, no wall clock.
 *
 * @example
 * import { createSimulation } from './engine';
 * const sim = createSimulation({ mode: 'stateless', nodes: 3, clients: 12, seed: 7 });
 * sim.advance(30_000);                              // 30 simulated seconds, as fast as the CPU goes
 * sim.apply({ type: 'failNode', node: 'server-2' });
 * sim.advance(10_000);
 * sim.metrics().sessionsLost;                       // 0: tokens carry the state, nodes hold none
 */
export {
  createSimulation,
  CommandError,
  OUTSIDE_CLIENT,
  unpackSimulation,
  type PackedSimulation,
  type Simulation,
} from './simulation';
export {
  BALANCER_PRESETS,
  ConfigError,
  DEFAULT_CONFIG,
  LIMITS,
  JWT_SECRET_MIN_BYTES,
  jwtSecretProblem,
} from './config';
export {
  createTokenService,
  decodeToken,
  FIRST_KEY_ID,
  keyForKid,
  MAX_TOKEN_CHARS,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type TokenClaims,
  type VerifyResult,
  type DecodedToken,
  type TokenService,
} from './jwt';
export { readCookie, readSetCookie, splitSetCookie, requestSizeBytes } from './http';
export { clientName } from './client';
export { CHECKOUT_STEPS } from './routes';
export type * from './types';
