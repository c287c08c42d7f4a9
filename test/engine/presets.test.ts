/**
 * Balancer presets: the same crash under HAProxy's, nginx's and Envoy's defaults. HAProxy probes
 * and needs three failed checks (a long blind window, but each refused request is retried on
 * another node, so users barely notice); nginx takes a node out at its first failed attempt for
 * 10 s; Envoy ejects a host after 5 consecutive 5xx for 30 s (then 60 s …), and with no retry
 * policy every one of those 5 is a failed request.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, ConfigError, type BalancerPreset, type Metrics } from '../../src/engine';

interface CrashFigures {
  sentToDeadNode: number;
  /** Requests that failed after the crash (the run had none before). */
  failed: number;
  /** When the balancer took server-2 out of its pool, and when it put it back: ms after the crash. */
  marks: string[];
}

/** Stateless, so every failure is the balancer's doing, not a lost session. One crash, one minute. */
function crash(balancerPreset: BalancerPreset): CrashFigures {
  const sim = createSimulation({
    mode: 'stateless',
    sticky: false,
    balancer: 'random',
    clients: 200,
    nodes: 4,
    balancerPreset,
    eventLogSize: 0,
  });
  const marks: string[] = [];
  const crashAt = 20_001;
  sim.subscribe((event) => {
    if (event.type === 'node.marked' && event.node === 'server-2')
      marks.push(`${event.health} +${Math.round((event.time - crashAt) / 1000)}s`);
  });
  sim.advance(crashAt);
  const before: Metrics = sim.metrics();
  expect(before.requests.failed).toBe(0);
  sim.apply({ type: 'failNode', node: 'server-2' });
  sim.advance(60_000);
  const after = sim.metrics();
  return { sentToDeadNode: after.sentToDeadNode, failed: after.requests.failed - before.requests.failed, marks };
}

describe('balancer presets', () => {
  const haproxy = crash('haproxy');
  const nginx = crash('nginx');
  const envoy = crash('envoy');

  it('haproxy (the default): a 6 s blind window sends ~150 requests to the dead node, and its retries save them', () => {
    expect(haproxy.marks).toEqual(['down +6s']);
    expect(haproxy.sentToDeadNode).toBeGreaterThan(100);
    // Only the requests inside the node when it crashed fail; every refused one is retried.
    expect(haproxy.failed).toBeLessThanOrEqual(3);
  });

  it('nginx: the first failure takes the node out for 10 s; it is tried again every 10 s', () => {
    expect(nginx.marks.slice(0, 4)).toEqual(['down +0s', 'up +10s', 'down +10s', 'up +20s']);
    // One request per fail_timeout after the first: at most 1 + 60 s / 10 s.
    expect(nginx.sentToDeadNode).toBeLessThanOrEqual(7);
    expect(nginx.sentToDeadNode).toBeLessThan(haproxy.sentToDeadNode / 10);
    expect(nginx.failed).toBeLessThanOrEqual(3);
  });

  it('envoy: 5 consecutive 5xx eject the host for 30 s, then 60 s; with no retries each of them fails', () => {
    expect(envoy.marks).toEqual(['down +0s', 'up +30s', 'down +30s']);
    expect(envoy.sentToDeadNode).toBeLessThan(haproxy.sentToDeadNode / 10);
    // Every request sent to the dead node is a failed request (502), plus those inside it at the crash.
    expect(envoy.failed).toBeGreaterThanOrEqual(envoy.sentToDeadNode);
    expect(envoy.failed).toBe(10); // two ejections × 5 consecutive 5xx
    expect(envoy.failed).toBeGreaterThan(haproxy.failed + 5);
  });

  it('the default preset is haproxy and a bad one is refused, naming the field', () => {
    expect(createSimulation().config.balancerPreset).toBe('haproxy');
    expect(createSimulation().snapshot().balancerPreset).toBe('haproxy');
    expect(() => createSimulation({ balancerPreset: 'traefik' as never })).toThrow(ConfigError);
    expect(() => createSimulation({ balancerPreset: 'traefik' as never })).toThrow(
      /config\.balancerPreset must be one of/,
    );
  });

  it('each preset says how many failures take a node out: haproxy 3 checks, nginx 1 attempt, envoy 5 answers', () => {
    const fall = (preset: BalancerPreset): number =>
      createSimulation({ balancerPreset: preset }).snapshot().nodes[0]!.fall;
    expect([fall('haproxy'), fall('nginx'), fall('envoy')]).toEqual([3, 1, 5]);
  });
});
