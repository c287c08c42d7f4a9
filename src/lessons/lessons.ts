/** The guided lessons, in teaching order. */
import type { Lesson } from './types';
import { BLIND_WINDOW } from './blindWindow';
import { REPLICATION } from './replication';
import { DEPLOY } from './deploy';
import { GRAY_FAILURE } from './grayFailure';
import { TOKENS_HONESTLY } from './tokens';

export const LESSONS: readonly Lesson[] = [
  {
    id: 'stateless',
    title: '1. Stateless requests: any node can answer',
    summary: 'Every request carries a signed token, so the balancer may send it anywhere.',
    steps: [
      {
        title: 'Tokens travel with every request',
        caption:
          'Each user logged in once and got a signed token (JWT). Every request carries it; any node that knows the secret can check it.',
        scenario: {
          mode: 'stateless',
          sticky: false,
          lb: 'round-robin',
          nodes: 3,
          clients: 12,
          seed: 1,
          store: 'memory',
        },
        runMs: 8_000,
        lookAt: { kind: 'balancer' },
      },
      {
        title: 'The balancer spreads the load',
        caption:
          'Round-robin sends each request to the next node. No node holds anything about a user, so it does not matter which one answers.',
        runMs: 10_000,
        lookAt: { kind: 'node', node: 'server-2' },
      },
      {
        title: 'A node fails',
        caption:
          'Server 2 crashes. The requests inside it are lost; the next ones go to the other nodes and their tokens still verify.',
        commands: [{ type: 'failNode', node: 'server-2' }],
        runMs: 3_000,
        lookAt: { kind: 'metric', metric: 'sessionsLost' },
        predict: {
          question: 'How many users will have to log in again?',
          reveal: '{relogins} users had to log in again; {sessionsLost} sessions were lost.',
        },
      },
    ],
  },
  {
    id: 'sticky',
    title: '2. Sessions need sticky routing',
    summary: 'A session lives on one node: without stickiness, requests miss it with no failure at all.',
    steps: [
      {
        title: 'Sessions live in one node\u2019s memory',
        caption:
          'Now the login creates a session on the node that served it. The user only holds a small cookie: sid=…',
        scenario: {
          mode: 'stateful',
          store: 'memory',
          sticky: true,
          lb: 'round-robin',
          nodes: 3,
          clients: 12,
          seed: 2,
        },
        runMs: 8_000,
        lookAt: { kind: 'node', node: 'server-1' },
      },
      {
        title: 'Sticky routing keeps users on their node',
        caption:
          'The balancer added its own cookie (lb=server-N) and sends each user back to the node holding their session.',
        runMs: 10_000,
        lookAt: { kind: 'clients' },
      },
      {
        title: 'Turn stickiness off',
        caption:
          'Without sticky routing, round-robin sends the next request to another node: it has never heard of this session. 401, log in again.',
        scenario: {
          mode: 'stateful',
          store: 'memory',
          sticky: false,
          lb: 'round-robin',
          nodes: 3,
          clients: 12,
          seed: 2,
        },
        runMs: 15_000,
        lookAt: { kind: 'metric', metric: 'relogins' },
        predict: {
          question: 'Nothing has failed. Will anyone be logged out?',
          reveal: '{relogins} times a user was sent back to login — with no failure at all.',
        },
      },
    ],
  },
  {
    id: 'failure',
    title: '3. A node fails: stateless vs stateful',
    summary: 'The same crash, two outcomes: nothing lost, or every session on that node gone.',
    steps: [
      {
        title: 'Two clusters, same users',
        caption: 'Left: tokens. Right: sessions in node memory. The same users do the same things at the same moments.',
        scenario: { mode: 'compare', store: 'memory', sticky: true, lb: 'round-robin', nodes: 3, clients: 12, seed: 3 },
        runMs: 15_000,
        lookAt: { kind: 'clients' },
      },
      {
        title: 'Server 2 fails in both',
        caption: 'One click fails Server 2 in both clusters. Watch which users are logged out and whose cart empties.',
        runMs: 1_000,
        commands: [{ type: 'failNode', node: 'server-2' }],
        lookAt: { kind: 'metric', metric: 'sessionsLost' },
        predict: {
          question: 'Which side loses sessions, and how many?',
          reveal: 'Stateful lost {sessionsLost} sessions and {cartItemsLost} cart items.',
        },
      },
      {
        title: 'The balancer notices',
        caption:
          'Health checks every 2 s; after 3 failures Server 2 is marked down. Until then, connections to it were refused and retried elsewhere.',
        runMs: 7_000,
        lookAt: { kind: 'balancer' },
      },
      {
        title: 'Server 2 comes back empty',
        caption: 'A restarted node has no sessions. Nobody gets their cart back.',
        runMs: 1_000,
        commands: [{ type: 'recoverNode', node: 'server-2' }],
        lookAt: { kind: 'node', node: 'server-2' },
      },
    ],
  },
  {
    id: 'store',
    title: '4. A shared session store',
    summary: 'Nodes become replaceable again — and the store becomes the single point of failure.',
    steps: [
      {
        title: 'Sessions move to a shared store',
        caption: 'Every node reads sessions from one Redis-like store: one more network hop per request.',
        scenario: {
          mode: 'stateful',
          store: 'shared',
          sticky: false,
          lb: 'round-robin',
          nodes: 3,
          clients: 12,
          seed: 4,
        },
        runMs: 12_000,
        lookAt: { kind: 'store' },
      },
      {
        title: 'A node fails: nothing lost',
        caption: 'Server 2 crashes. Its users land on other nodes, which find their sessions in the store.',
        runMs: 1_000,
        commands: [{ type: 'failNode', node: 'server-2' }],
        lookAt: { kind: 'metric', metric: 'sessionsLost' },
      },
      {
        title: 'The store fails',
        caption: 'Now the store itself goes down. It keeps nothing on disk.',
        runMs: 5_000,
        commands: [{ type: 'recoverNode', node: 'server-2' }, { type: 'failStore' }],
        lookAt: { kind: 'store' },
        predict: {
          question: 'The nodes are all fine. What happens to the users?',
          reveal: 'Every session is gone: {sessionsLost} lost. Every node answers 503 until the store is back.',
        },
      },
      {
        title: 'The store comes back empty',
        caption: 'Everyone has to log in again.',
        runMs: 8_000,
        commands: [{ type: 'recoverStore' }],
        lookAt: { kind: 'metric', metric: 'relogins' },
      },
    ],
  },
  {
    id: 'scaling',
    title: '5. Scaling out and in',
    summary: 'New nodes take stateless traffic once healthy; sticky users do not move.',
    steps: [
      {
        title: 'Sticky sessions, busy cluster',
        caption: 'Twenty-four users, sticky sessions on three nodes.',
        scenario: {
          mode: 'stateful',
          store: 'memory',
          sticky: true,
          lb: 'least-connections',
          nodes: 3,
          clients: 24,
          seed: 5,
        },
        runMs: 12_000,
        lookAt: { kind: 'clients' },
      },
      {
        title: 'Add a node',
        caption:
          'Server 4 joins. After two passing health checks it is in the pool — but every user is pinned to their old node.',
        runMs: 1_000,
        commands: [{ type: 'addNode' }],
        lookAt: { kind: 'node', node: 'server-4' },
        // Server 4 exists only once the step's command ran: while the room predicts, look at the balancer that will (not) send it traffic.
        predict: {
          question: 'How much traffic will Server 4 get?',
          reveal: 'Almost none: sticky users stay where their session is.',
          lookAt: { kind: 'balancer' },
        },
      },
      {
        title: 'Scale in: remove a node',
        caption: 'Server 1 is removed. Its sessions go with it: those users must log in again.',
        runMs: 12_000,
        commands: [{ type: 'removeNode', node: 'server-1' }],
        lookAt: { kind: 'metric', metric: 'sessionsLost' },
      },
      {
        title: 'The same with tokens',
        caption:
          'Stateless: the new node gets its share as soon as it passes its health checks, and removing a node would lose nothing.',
        scenario: {
          mode: 'stateless',
          store: 'memory',
          sticky: false,
          lb: 'least-connections',
          nodes: 3,
          clients: 24,
          seed: 5,
        },
        runMs: 10_000,
        commands: [{ type: 'addNode' }],
        lookAt: { kind: 'node', node: 'server-4' },
      },
    ],
  },
  {
    id: 'tokens',
    title: '6. Tokens: size, expiry, tampering, revocation',
    summary: 'What tokens cost: bytes on every request, a fixed lifetime, and no easy logout.',
    steps: [
      {
        title: 'Bytes on every request',
        caption:
          'A token with a few claims is a few hundred bytes, sent with every request. A session cookie is about forty.',
        scenario: { mode: 'compare', store: 'memory', sticky: true, lb: 'round-robin', nodes: 3, clients: 12, seed: 6 },
        runMs: 15_000,
        lookAt: { kind: 'metric', metric: 'bytesPerRequest' },
      },
      {
        title: 'Expiry and renewal',
        caption:
          'Tokens expire (here after 60 simulated seconds). Clients trade a valid token for a fresh one before it runs out: POST /api/token.',
        runMs: 60_000,
        lookAt: { kind: 'clients' },
      },
      {
        title: 'Tampering',
        caption:
          'Change one byte of a token — say "role": "admin" — and the signature no longer matches: 401. Try it in the inspector\u2019s tamper box.',
        lookAt: { kind: 'balancer' },
      },
      {
        title: 'Logging out does not revoke a token',
        caption:
          'A stolen token stays valid until it expires: logging out only makes the client forget it. Try it with the You panel and the inspector.',
        lookAt: { kind: 'metric', metric: 'failed' },
      },
      {
        title: 'A deny-list is state again',
        caption:
          'To revoke tokens early, logout puts the token id on a deny-list in a shared store, and every node reads it on every request: one more hop.',
        scenario: {
          mode: 'stateless',
          deny: true,
          store: 'memory',
          sticky: false,
          lb: 'round-robin',
          nodes: 3,
          clients: 12,
          seed: 6,
        },
        runMs: 20_000,
        lookAt: { kind: 'store' },
      },
      {
        title: '…and a single point of failure',
        caption:
          'The deny-list store fails. No node can check a token now: requests that carry one get 503 until it is back, and the revoked list is gone.',
        commands: [{ type: 'failStore' }],
        runMs: 5_000,
        lookAt: { kind: 'metric', metric: 'failed' },
        predict: {
          question: 'The nodes are fine and the tokens are valid. What happens?',
          reveal: "{failed} requests failed: with a deny-list, the store is on every request's path.",
        },
      },
    ],
  },
  REPLICATION,
  BLIND_WINDOW,
  DEPLOY,
  GRAY_FAILURE,
  TOKENS_HONESTLY,
];

export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((lesson) => lesson.id === id);
}
