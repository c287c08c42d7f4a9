/**
 * Session replication and graceful drain (issue 10): a crash with sessions in memory (lost) vs
 * replicated to every node (nothing lost, traffic that grows with the cluster) vs one backup per
 * session (two crashes at once still lose some); then draining a node instead of crashing it.
 */
import type { Lesson } from './types';
import type { Scenario } from '../state/scenario';

const CLUSTER: Partial<Scenario> = {
  mode: 'stateful',
  sticky: true,
  deny: false,
  lb: 'round-robin',
  nodes: 3,
  clients: 12,
  seed: 3,
};

export const REPLICATION: Lesson = {
  id: 'replication',
  title: 'Replicated sessions, and draining a node',
  summary: 'Copies of each session on other nodes survive a crash — at a price in traffic; a drain loses nothing.',
  steps: [
    {
      title: 'Sessions in one node’s memory',
      caption: 'Each session lives only on the node that created it; sticky routing brings its user back there.',
      scenario: { ...CLUSTER, store: 'memory' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-2' },
    },
    {
      title: 'A crash takes them along',
      caption: 'Server 2 crashes: the sessions in its memory are gone, and their users must log in again.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 10_000,
      lookAt: { kind: 'metric', metric: 'sessionsLost' },
      predict: {
        question: 'How many sessions will be lost?',
        reveal: '{sessionsLost} sessions lost, {relogins} users sent back to login.',
      },
    },
    {
      title: 'Read the loss receipt',
      caption:
        'The loss receipt by the users: what each one lost in the crash, and what they would have lost with a shared store, replication or tokens.',
      runMs: 5_000,
      lookAt: { kind: 'receipt' },
    },
    {
      title: 'Replicate every session to every node',
      caption:
        'Replicated (all), as Tomcat’s DeltaManager: after every request the session is copied to every other node. Each card shows its copies.',
      scenario: { ...CLUSTER, store: 'replicated', replication: 'all' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-1' },
    },
    {
      title: 'The same crash',
      caption: 'Server 2 crashes again. The next node the balancer picks holds a copy of each of its sessions.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 10_000,
      lookAt: { kind: 'metric', metric: 'sessionsLost' },
      predict: {
        question: 'How many sessions will be lost this time?',
        reveal: '{sessionsLost} sessions lost. The copies cost {replicationBytes} bytes between the nodes so far.',
      },
    },
    {
      title: 'One backup per session',
      caption:
        'Replicated (backup), as Tomcat’s BackupManager: one copy on one other node — traffic that does not grow with the cluster.',
      scenario: { ...CLUSTER, store: 'replicated', replication: 'backup' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-1' },
    },
    {
      title: 'Two crashes at once',
      caption: 'Servers 1 and 2 crash together. A session whose primary and backup were those two has no copy left.',
      commands: [
        { type: 'failNode', node: 'server-1' },
        { type: 'failNode', node: 'server-2' },
      ],
      runMs: 10_000,
      lookAt: { kind: 'metric', metric: 'sessionsLost' },
      predict: {
        question: 'Each session has a copy on another node. Is anything lost?',
        reveal: '{sessionsLost} sessions lost: their only two copies were on the two nodes that crashed.',
      },
    },
    {
      title: 'Drain instead of crash',
      caption:
        'Taking Server 2 down on purpose? Drain it: it takes no new users, finishes what is inside, hands its sessions on, then leaves.',
      scenario: { ...CLUSTER, store: 'replicated', replication: 'backup' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-2' },
    },
    {
      title: 'Nothing fails',
      caption: 'Server 2 is drained: no request in flight dies, and every session lives on another node.',
      commands: [{ type: 'drainNode', node: 'server-2' }],
      runMs: 10_000,
      lookAt: { kind: 'metric', metric: 'failed' },
      predict: {
        question: 'How many requests will fail, and how many sessions will be lost?',
        reveal: '{failed} requests failed, {sessionsLost} sessions lost.',
      },
    },
    {
      title: 'Drain with sessions in memory',
      caption: 'Back to sessions in each node’s memory, with nothing copied anywhere.',
      scenario: { ...CLUSTER, store: 'memory' },
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-2' },
    },
    {
      title: 'A drain cannot save memory sessions',
      caption: 'Server 2 is drained: no request in flight dies, but its sessions leave with it.',
      commands: [{ type: 'drainNode', node: 'server-2' }],
      runMs: 10_000,
      lookAt: { kind: 'metric', metric: 'sessionsLost' },
      predict: {
        question: 'Nothing crashed. Will anyone have to log in again?',
        reveal: '{sessionsLost} sessions lost, {relogins} users sent back to login — with {failed} failed requests.',
      },
    },
  ],
};
