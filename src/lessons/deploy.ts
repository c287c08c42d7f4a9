/**
 * "Deploying without losing anyone" (issue 10): version 2 rolls over the cluster one node at a
 * time (`deploy`). Restarted, each node fails what is inside and forgets its sessions; drained, no
 * request dies but sessions in memory still leave with each node; with a shared store, or tokens,
 * nobody notices the deploy at all.
 */
import type { Lesson } from './types';
import type { Scenario } from '../state/scenario';

const CLUSTER: Partial<Scenario> = {
  mode: 'stateful',
  sticky: true,
  deny: false,
  lb: 'round-robin',
  preset: 'haproxy',
  nodes: 3,
  clients: 12,
  seed: 11,
};

/** A restart deploy of 3 nodes takes about 36 s (per node: 6 s down, a round to boot, 2 checks); a drain about 12 s. */
const RESTART_ROLL_MS = 40_000;
const DRAIN_ROLL_MS = 20_000;

export const DEPLOY: Lesson = {
  id: 'deploy',
  title: 'Deploying without losing anyone',
  summary: 'Version 2 rolls over the nodes one at a time: restarted, drained, and with the sessions elsewhere.',
  steps: [
    {
      title: 'Version 1 is live',
      caption:
        'Twelve users, sessions in each node’s memory, sticky routing. Version 2 is ready and must reach every node without closing the shop.',
      scenario: { ...CLUSTER, store: 'memory' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-1' },
    },
    {
      title: 'Deploy by restarting each node',
      caption:
        'One node at a time is restarted on v2: what is inside fails, its memory is gone, and the balancer needs its health checks to notice.',
      commands: [{ type: 'deploy', version: 'v2', drain: false }],
      runMs: RESTART_ROLL_MS,
      lookAt: { kind: 'metric', metric: 'sessionsLost' },
      predict: {
        question: 'Each node restarts in turn, never two at once. How many users will have to log in again?',
        reveal:
          '{relogins} times a user was sent back to login, {sessionsLost} sessions lost; {sentToDeadNode} requests went to a restarting node.',
        lookAt: { kind: 'node', node: 'server-1' },
      },
    },
    {
      title: 'Drain each node instead',
      caption:
        'The same users, the same moment. This time each node is drained: no new users, what is inside finishes, then v2 takes its place.',
      scenario: { ...CLUSTER, store: 'memory' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-1' },
    },
    {
      title: 'Drained, with sessions in memory',
      caption:
        'Deploy v2 again, draining each node in turn: no request dies inside a node now, and none is sent to a dead one.',
      commands: [{ type: 'deploy', version: 'v2', drain: true }],
      runMs: DRAIN_ROLL_MS,
      lookAt: { kind: 'metric', metric: 'sessionsLost' },
      predict: {
        question: 'Nothing crashes this time. Will anyone have to log in again?',
        reveal:
          '{sessionsLost} sessions lost all the same: they lived in the memory that left. {relogins} users sent back to login.',
        lookAt: { kind: 'node', node: 'server-1' },
      },
    },
    {
      title: 'Sessions in a shared store',
      caption: 'Now every node reads the sessions from one shared store: a node that leaves takes nothing with it.',
      scenario: { ...CLUSTER, store: 'shared' },
      runMs: 15_000,
      lookAt: { kind: 'store' },
    },
    {
      title: 'Drained, with a shared store',
      caption: 'The same drained deploy. Each user’s next request lands on another node, which finds the session.',
      commands: [{ type: 'deploy', version: 'v2', drain: true }],
      runMs: DRAIN_ROLL_MS,
      lookAt: { kind: 'metric', metric: 'failed' },
      predict: {
        question: 'How many requests will fail, and how many sessions will be lost?',
        reveal: '{failed} requests failed, {sessionsLost} sessions lost: the deploy went unnoticed.',
      },
    },
    {
      title: 'Stateless: nothing to hand over',
      caption: 'With tokens, no node holds anything about a user: any node can answer any request.',
      scenario: { ...CLUSTER, mode: 'stateless', sticky: false, store: 'memory' },
      runMs: 15_000,
      lookAt: { kind: 'balancer' },
    },
    {
      title: 'Drained, with tokens',
      caption: 'The same drained deploy: each token still verifies on the v2 nodes, which share the secret.',
      commands: [{ type: 'deploy', version: 'v2', drain: true }],
      runMs: DRAIN_ROLL_MS,
      lookAt: { kind: 'metric', metric: 'failed' },
      predict: {
        question: 'Will anyone notice this deploy?',
        reveal: '{failed} requests failed, {relogins} users sent back to login.',
      },
    },
  ],
};
