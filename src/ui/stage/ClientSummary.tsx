/**
 * The clients past the first DRAWN_CLIENTS_MAX, summed up in one block under the drawn ones: how
 * many, a bar split by login state (the share a failure logged out shows at a glance from the back
 * row), the same counts in words, and what their carts hold. The counts add up to the block's
 * total. Packets from these clients start and end at the block (anchors.ts, CLIENT_MORE).
 */
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import { CLIENT_MORE } from './anchors';
import { describeTally, formatCount, tallyClients, TALLY_PARTS, type ClientTally } from './clientSummary';
import { CartIcon } from './icons';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';
import './summary.css';

/** The tally as one string, so the block re-renders only when a number on it changes. */
function tallyKey(tally: ClientTally): string {
  const { login } = tally;
  return [
    tally.total,
    login.in,
    login['logging-in'],
    login.lost,
    login.relogged,
    tally.cartItems,
    tally.inCheckout,
  ].join();
}

function parseKey(key: string): ClientTally {
  const [total = 0, inn = 0, logging = 0, lost = 0, relogged = 0, cartItems = 0, inCheckout = 0] = key
    .split(',')
    .map(Number);
  return { total, login: { in: inn, 'logging-in': logging, lost, relogged }, cartItems, inCheckout };
}

export function ClientSummary({ cluster, feed, from }: { cluster: ClusterKey; feed: StageFeed; from: number }) {
  const key = useSim((s) => {
    const snapshot = selectCluster(s, cluster)?.snapshot;
    return snapshot === undefined
      ? ''
      : tallyKey(tallyClients(snapshot.clients, from, snapshot.time, s.scenario.speed));
  });
  if (key === '') return null;
  const tally = parseKey(key);
  if (tally.total === 0) return null;
  return (
    <div className="client-more" role="group" aria-label={describeTally(tally)} ref={feed.anchors.ref(CLIENT_MORE)}>
      <p className="client-more-head" aria-hidden="true">
        <strong>+{formatCount(tally.total)}</strong> more
      </p>
      <div className="client-more-bar" aria-hidden="true">
        {TALLY_PARTS.map(({ state }) =>
          tally.login[state] > 0 ? (
            <span key={state} data-login={state} style={{ flexGrow: tally.login[state] }} />
          ) : null,
        )}
      </div>
      <ul className="client-more-counts" aria-hidden="true">
        {TALLY_PARTS.map(({ state, words }) =>
          tally.login[state] > 0 ? (
            <li key={state} data-login={state}>
              {formatCount(tally.login[state])} {words}
            </li>
          ) : null,
        )}
      </ul>
      <p className="client-more-carts" aria-hidden="true">
        <CartIcon />
        {formatCount(tally.cartItems)} in carts · {formatCount(tally.inCheckout)} at checkout
      </p>
    </div>
  );
}
