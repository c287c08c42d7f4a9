/**
 * "Tokens, honestly" (issue 10): what a signed token cannot do. A ban does nothing to a token
 * already issued until it expires; a deny-list fixes that and is shared state again; short access
 * tokens with refresh tokens bound it to one short lifetime, the store asked once per lifetime; a key rotation
 * that misses a node makes it refuse the new tokens; a node that skips the signature check accepts
 * a forgery. Stateless, round-robin and not sticky, so every user's requests visit every node.
 */
import type { Lesson } from './types';
import type { Scenario } from '../state/scenario';

const CLUSTER: Partial<Scenario> = {
  mode: 'stateless',
  store: 'memory',
  sticky: false,
  deny: false,
  refresh: false,
  lb: 'round-robin',
  nodes: 3,
  clients: 30,
  seed: 11,
};

export const TOKENS_HONESTLY: Lesson = {
  id: 'tokens-honestly',
  title: 'Tokens, honestly',
  summary:
    'A ban does nothing to a token until it expires, a deny-list is state again, a missed key rotation refuses users, and a lazy node accepts forgeries.',
  steps: [
    {
      title: 'Everyone holds a token',
      caption:
        'Each user holds a signed token, good for 60 s and renewed before it runs out. A node checks the signature and nothing else: it asks no one.',
      scenario: CLUSTER,
      runMs: 10_000,
      lookAt: { kind: 'clients' },
    },
    {
      title: 'Ban Bo',
      caption:
        'Bo (he logs in as c2) is banned mid-shop: no new login, no renewal. But his token — or a stolen copy of it — is still correctly signed.',
      commands: [{ type: 'banUser', user: 'c2' }],
      runMs: 30_000,
      lookAt: { kind: 'clients' },
      predict: {
        question: 'Bo is banned. Will the nodes stop answering him?',
        reveal:
          '{bannedUserRequestsOk} of his requests were answered 200 after the ban: only his next login was refused. A stolen copy works until exp.',
      },
    },
    {
      title: 'A deny-list makes the ban bite',
      caption:
        'The same cluster with a deny-list in a shared store. Every node now asks the store on every request — server-side state again.',
      scenario: { ...CLUSTER, deny: true },
      runMs: 10_000,
      lookAt: { kind: 'store' },
    },
    {
      title: 'Ban Bo again',
      caption: 'The ban goes on the deny-list: every token issued to him is refused, on every node, at once.',
      commands: [{ type: 'banUser', user: 'c2' }],
      runMs: 30_000,
      lookAt: { kind: 'store' },
      predict: {
        question: 'How many of his requests get through now?',
        reveal:
          '{bannedUserRequestsOk}: his next request found the ban on the list. The price: a store on every request.',
      },
    },
    {
      title: 'Short expiry + refresh tokens',
      caption:
        'Access tokens live 15 s now. Before one runs out, the user trades a refresh token for the next ("refresh" tickets): only that asks the store.',
      scenario: { ...CLUSTER, refresh: true },
      runMs: 10_000,
      lookAt: { kind: 'store' },
    },
    {
      title: 'Ban Bo, with refresh tokens',
      caption:
        'The ban revokes his refresh tokens in the store. Nodes still check his access token by its signature alone, asking no store.',
      commands: [{ type: 'banUser', user: 'c2' }],
      runMs: 30_000,
      lookAt: { kind: 'clients' },
      predict: {
        question: 'No node asks the store on his requests. How long will Bo be served?',
        reveal:
          'Served after the ban: {bannedUserRequestsOk}, all within one 15 s access lifetime; his next refresh was refused (400 invalid_grant). Only the {tokensRefreshed} refreshes asked the store.',
      },
    },
    {
      title: 'Rotate the key, but not on Server 3',
      caption:
        'A new signing key, k2, goes to Servers 1 and 2. They sign new tokens with k2 and still accept k1. Server 3 was missed: it knows only k1.',
      scenario: CLUSTER,
      commands: [{ type: 'rotateKey', nodes: ['server-1', 'server-2'] }],
      runMs: 30_000,
      lookAt: { kind: 'node', node: 'server-3' },
      predict: {
        question: 'What does Server 3 do with a token signed with k2?',
        reveal:
          'It cannot check it: 401, unknown kid "k2". {relogins} users were sent back to log in by a server that was simply left out.',
      },
    },
    {
      title: 'A lazy node',
      caption:
        'Server 2 skips the signature check. Log in as You, make "role" "admin" in the tamper box, send it a few times: only Server 2 says 200.',
      commands: [{ type: 'setVerify', node: 'server-2', verify: false }],
      runMs: 5_000,
      lookAt: { kind: 'node', node: 'server-2' },
    },
  ],
};
