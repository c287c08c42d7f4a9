/**
 * One user on the stage: a full row (mark, name, login, cart, checkout step) when there are few
 * clients, or a compact token (mark only, outlined when logged out) when there are many. Re-renders
 * only when this user's snapshot or loss flag changes (snapshots keep unchanged users' objects); the
 * flag is derived from the time shown (ClientColumn).
 */
import { memo } from 'react';
import { CHECKOUT_STEPS, type ClientSnapshot } from '../../engine';
import { LOGIN_TEXT, loginState } from './clientStatus';
import { CartIcon, LockIcon, WarningIcon } from './icons';
import type { StageFeed } from './stageFeed';
import { UserMark } from './UserMark';

export const ClientItem = memo(function ClientItem({
  client,
  recentlyLost,
  index,
  feed,
  compact,
}: {
  client: ClientSnapshot;
  recentlyLost: boolean;
  index: number;
  feed: StageFeed;
  compact: boolean;
}) {
  const login = loginState(client, recentlyLost);
  const step = client.checkoutStep > 0 ? `checkout ${client.checkoutStep}/${CHECKOUT_STEPS}` : '';
  const label = `${client.name}: ${LOGIN_TEXT[login]}, cart ${client.cartItems}${step === '' ? '' : `, ${step}`}`;
  if (compact) {
    return (
      <li
        className="client-token"
        data-client={client.id}
        data-login={login}
        tabIndex={index === 0 ? 0 : -1}
        aria-label={label}
        title={label}
        ref={feed.anchors.ref(`client:${client.id}`)}
      >
        <UserMark clientId={client.id} name={client.name} />
        {login === 'lost' && (
          <span className="client-token-x" aria-hidden="true">
            ✕
          </span>
        )}
      </li>
    );
  }
  return (
    <li
      className="client-row"
      data-client={client.id}
      data-login={login}
      tabIndex={index === 0 ? 0 : -1}
      aria-label={label}
      ref={feed.anchors.ref(`client:${client.id}`)}
    >
      <UserMark clientId={client.id} name={client.name} />
      <span className="client-name">{client.name}</span>
      <span className="client-login" aria-hidden="true">
        {login === 'in' && (
          <>
            <LockIcon />
            <span className="visually-hidden">logged in</span>
          </>
        )}
        {login === 'lost' && (
          <>
            <WarningIcon />
            logged out
          </>
        )}
        {login === 'relogged' && (
          <>
            <WarningIcon />
            session lost
          </>
        )}
        {login === 'logging-in' && <span className="client-muted">logging in…</span>}
      </span>
      <span className="client-cart" aria-hidden="true" data-empty={client.cartItems === 0 ? '' : undefined}>
        <CartIcon />
        {client.cartItems}
      </span>
      <span className="client-step" aria-hidden="true">
        {client.checkoutStep > 0 ? (
          <>
            step {client.checkoutStep}/{CHECKOUT_STEPS}
          </>
        ) : (
          ''
        )}
      </span>
    </li>
  );
});
