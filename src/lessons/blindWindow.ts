/**
 * "The blind window" (issue 10): a crashed node keeps receiving requests until the balancer
 * notices, and how long that takes is the balancer's own defaults — HAProxy's health checks, nginx's
 * passive max_fails, Envoy's outlier ejection. Stateless, so no session is lost and every number is
 * the balancer's doing.
 */
import type { Lesson } from './types';
import type { Scenario } from '../state/scenario';

const CLUSTER: Partial<Scenario> = {
  mode: 'stateless',
  store: 'memory',
  sticky: false,
  deny: false,
  lb: 'random',
  nodes: 3,
  clients: 60,
  seed: 3,
};

export const BLIND_WINDOW: Lesson = {
  id: 'blind-window',
  title: 'The blind window',
  summary:
    'A crashed node keeps getting requests until the balancer notices: how many depends on whose defaults it runs.',
  steps: [
    {
      title: 'HAProxy checks every 2 seconds',
      caption:
        'The balancer runs HAProxy’s defaults: it probes each node every 2 s, and 3 failed checks in a row take a node out.',
      scenario: { ...CLUSTER, preset: 'haproxy' },
      runMs: 8_000,
      lookAt: { kind: 'balancer' },
    },
    {
      title: 'Server 2 crashes',
      caption:
        'Until its third failed check, the balancer still sends Server 2 its share. Each of those connections is refused, and HAProxy retries it on another node.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 8_000,
      lookAt: { kind: 'metric', metric: 'sentToDeadNode' },
      predict: {
        question: 'About 10 requests a second go to each node. How many will still go to Server 2 after it dies?',
        reveal:
          '{sentToDeadNode} requests went to the dead node in the 6 s before the checks noticed (rate × 2 s × 3). Retries saved them: {failed} failed.',
        lookAt: { kind: 'node', node: 'server-2' },
      },
    },
    {
      title: 'NGINX: no checks at all',
      caption:
        'Open-source NGINX does not probe. One failed request (max_fails 1) takes a node out for 10 s (fail_timeout), then it is tried again.',
      scenario: { ...CLUSTER, preset: 'nginx' },
      runMs: 8_000,
      lookAt: { kind: 'balancer' },
    },
    {
      title: 'The same crash under NGINX',
      caption: 'The first refused request takes Server 2 out at once; every 10 s one more request finds it still dead.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 12_000,
      lookAt: { kind: 'metric', metric: 'sentToDeadNode' },
      predict: {
        question: 'How many requests reach the dead node now?',
        reveal: '{sentToDeadNode} — the first failure was enough. {failed} requests failed.',
        lookAt: { kind: 'node', node: 'server-2' },
      },
    },
    {
      title: 'Envoy: eject after 5 errors',
      caption:
        'Envoy’s outlier detection ejects a host after 5 errors in a row, for 30 s (longer each time). A route has no retry policy unless you add one.',
      scenario: { ...CLUSTER, preset: 'envoy' },
      runMs: 8_000,
      lookAt: { kind: 'balancer' },
    },
    {
      title: 'The same crash under Envoy',
      caption:
        'Fewer requests reach the dead node than with HAProxy, but with no retry every one of them is an error a user sees.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 8_000,
      lookAt: { kind: 'metric', metric: 'failed' },
      predict: {
        question: 'No retries: how many requests will fail?',
        reveal:
          '{sentToDeadNode} requests went to the dead node and {failed} failed. Short window, but every one hurt.',
        lookAt: { kind: 'node', node: 'server-2' },
      },
    },
  ],
};
