/**
 * "Gray failures and retried orders" (issue 10). First a node that cannot reach the session store
 * but still passes the balancer's health checks: its sticky users fail while every node looks up.
 * Then a crash while users wait on the payment provider: the order was written, the answer was
 * lost, the user pays again — two orders — until the final POST carries an idempotency key.
 */
import type { Lesson } from './types';
import type { Scenario } from '../state/scenario';

const STORE_CLUSTER: Partial<Scenario> = {
  mode: 'stateful',
  store: 'shared',
  sticky: true,
  deny: false,
  lb: 'round-robin',
  preset: 'haproxy',
  nodes: 3,
  clients: 30,
  seed: 4,
  idem: false,
  pay: 0,
};

/** Stateless: the cart travels with each request, so nothing on a server tells a retry from a new order. */
const SHOP: Partial<Scenario> = {
  mode: 'stateless',
  store: 'memory',
  sticky: false,
  deny: false,
  lb: 'round-robin',
  preset: 'haproxy',
  nodes: 3,
  clients: 60,
  seed: 5,
  pay: 2_000,
};

export const GRAY_FAILURE: Lesson = {
  id: 'gray-failure',
  title: 'Gray failures and retried orders',
  summary:
    'A node that passes its health checks but cannot reach the store fails its users unseen; a retried payment places a second order.',
  steps: [
    {
      title: 'Sessions in a shared store',
      caption:
        'Every node reads the sessions from one store. Sticky routing keeps each user on one node; the balancer checks each node every 2 s.',
      scenario: STORE_CLUSTER,
      runMs: 10_000,
      lookAt: { kind: 'store' },
    },
    {
      title: 'Server 2 loses the store',
      caption:
        'The network link between Server 2 and the store is cut. Server 2 still runs and still answers the health checks — they never touch the store.',
      commands: [{ type: 'cutStoreLink', node: 'server-2' }],
      runMs: 15_000,
      lookAt: { kind: 'node', node: 'server-2' },
      predict: {
        question: 'How many of the 3 nodes will the balancer take out of its pool?',
        reveal:
          'None: Server 2 passes every check. Yet its users got {failed} errors (503), and no other user saw one.',
        lookAt: { kind: 'balancer' },
      },
    },
    {
      title: 'Restore the link',
      caption:
        'Only the users stuck to Server 2 suffered, for as long as the cut lasted. A check that asked the store too would have taken it out.',
      commands: [{ type: 'restoreStoreLink', node: 'server-2' }],
      runMs: 8_000,
      lookAt: { kind: 'metric', metric: 'failed' },
    },
    {
      title: 'A slow payment',
      caption:
        'A new shop: the last checkout step writes the order, then waits 2 s for the payment provider before it answers.',
      scenario: { ...SHOP, idem: false },
      runMs: 20_000,
      lookAt: { kind: 'metric', metric: 'checkoutsCompleted' },
    },
    {
      title: 'A crash mid-checkout',
      caption:
        'Server 2 crashes while users wait for their payment. They get an error and press Pay again — on another node.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 15_000,
      lookAt: { kind: 'metric', metric: 'duplicateOrders' },
      predict: {
        question: 'The orders were already written when Server 2 died. How many will be placed twice?',
        reveal: '{duplicateOrders} orders were placed twice: each retry looked like a brand-new order.',
      },
    },
    {
      title: 'Idempotency keys',
      caption:
        'Now the last checkout step carries an idempotency-key, one per purchase. The orders database keeps each key with its answer.',
      scenario: { ...SHOP, idem: true },
      runMs: 20_000,
      lookAt: { kind: 'metric', metric: 'duplicateOrders' },
    },
    {
      title: 'The same crash, with keys',
      caption: 'Same users, same crash. Each retry sends the same key again and gets the stored answer back.',
      commands: [{ type: 'failNode', node: 'server-2' }],
      runMs: 15_000,
      lookAt: { kind: 'metric', metric: 'duplicateOrders' },
      predict: {
        question: 'How many orders are placed twice now?',
        reveal: '{duplicateOrders}. A little state on the server — the keys it has seen — makes the retry safe.',
      },
    },
  ],
};
