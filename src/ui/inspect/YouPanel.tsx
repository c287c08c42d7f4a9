/**
 * "You": the teacher or student becomes one of the clients, over real HTTP. Open the browser's
 * network tab next to it to watch the Cookie / Authorization headers do what the lesson says.
 */
import { useEffect, useState } from 'react';
import type { ApiStatus } from '../../api/browser';
import { decodeToken, type Simulation } from '../../engine';
import { nowSeconds } from './tokenTools';
import { apiClusterFor } from '../../state/apiCluster';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { CLUSTER_LABEL } from '../../state/simulationStore';
import { useInspect, useInspectContext } from './InspectContext';
import { nodeLabel } from '../../state/labels';
import { nextCheckoutStep, runYouAction, type YouAction } from './youClient';
import { apiView, heldFrom, youSnapshot } from './heldYou';

/** "expires in 42 s" on the simulated clock the nodes check it with. */
function tokenLife(token: string, sim: Simulation | undefined): string {
  const exp = decodeToken(token)?.payload.exp;
  if (sim === undefined || typeof exp !== 'number') return 'unreadable';
  const leftSeconds = Math.round(exp - nowSeconds(sim));
  return leftSeconds > 0 ? `expires in ${leftSeconds} s` : `expired ${-leftSeconds} s ago — log in again`;
}

function useApiStatus(): ApiStatus | null {
  const { api } = useInspectContext();
  const [status, setStatus] = useState<ApiStatus | null>(null);
  useEffect(() => {
    let live = true;
    void api.ready.then((value) => {
      if (live) setStatus(value);
    });
    return () => {
      live = false;
    };
  }, [api]);
  return status;
}

export function YouPanel() {
  const sims = useSimulationStore();
  const { api, store: inspect } = useInspectContext();
  const viewMode = useSim((s) => s.scenario.mode);
  const cluster = apiClusterFor(viewMode);
  const mode = useSim((s) => s.clusters.find((c) => c.key === cluster)?.snapshot.mode ?? cluster);
  const you = useInspect((s) => s.you);
  // What You hold is the engine's (replayed on rewind and what-if), not the panel's.
  const held = heldFrom(useSim((s) => youSnapshot(apiView(s.clusters, s.scenario.mode)?.snapshot.clients)));
  useSim((s) => s.clusters[0]?.snapshot.time); // the token countdown follows the simulated clock
  const status = useApiStatus();
  const [item, setItem] = useState('book');
  const run = (action: YouAction) => void runYouAction(action, { api, inspect, sims });
  const disabled = you.busy || status?.ok !== true;
  const last = you.last;
  const lastId = last?.requestId ?? null;

  return (
    <div className="you-panel">
      <p className="inspect-note">
        {viewMode === 'compare' ? (
          <>
            Compare mode: your requests go to the <strong>{CLUSTER_LABEL[cluster]}</strong> cluster.{' '}
          </>
        ) : null}
        {mode === 'stateful'
          ? 'Your browser keeps the session cookie sid. It is not HttpOnly here: the mock server runs in this page and has to write it with JavaScript.'
          : 'This page keeps your token and cart and sends them with every request (Authorization: Bearer …).'}
      </p>
      {status === null && (
        <p className="inspect-note" role="status">
          Starting the mock server…
        </p>
      )}
      {status?.ok === false && (
        <p className="inspect-warning" role="alert">
          Real HTTP is unavailable: {status.reason} The simulation still runs.
        </p>
      )}
      <form
        className="you-login"
        onSubmit={(event) => {
          event.preventDefault();
          run({ type: 'login', user: you.user });
        }}
      >
        <label>
          User name <input value={you.user} onChange={(e) => inspect.getState().updateYou({ user: e.target.value })} />
        </label>
        <button type="submit" disabled={disabled}>
          Log in
        </button>
      </form>
      <div className="you-actions">
        <button type="button" disabled={disabled} onClick={() => run({ type: 'profile' })}>
          View profile
        </button>
        <label>
          Item <input value={item} onChange={(e) => setItem(e.target.value)} size={8} />
        </label>
        <button type="button" disabled={disabled} onClick={() => run({ type: 'addItem', item })}>
          Add to cart
        </button>
        <button type="button" disabled={disabled} onClick={() => run({ type: 'viewCart' })}>
          View cart
        </button>
        <button type="button" disabled={disabled} onClick={() => run({ type: 'checkout' })}>
          Checkout step {nextCheckoutStep(held)}
        </button>
        {mode === 'stateless' && (
          <button type="button" disabled={disabled} onClick={() => run({ type: 'refresh' })}>
            Refresh token
          </button>
        )}
        <button type="button" disabled={disabled} onClick={() => run({ type: 'logout' })}>
          Log out
        </button>
      </div>
      <p className="you-holding">
        {mode === 'stateless' ? (
          <>
            Token:{' '}
            {held.token === null
              ? 'none'
              : `${held.token.length} bytes, ${you.refused ? 'refused' : tokenLife(held.token, sims.running.get(cluster))}`}{' '}
            ·{' '}
          </>
        ) : (
          <>
            Session:{' '}
            {held.sessionNode !== null
              ? `in ${nodeLabel(held.sessionNode)}`
              : held.home !== null
                ? `lost (it was in ${nodeLabel(held.home)})`
                : you.refused && last !== null && last.sessionNode !== null
                  ? `lost (it was in ${nodeLabel(last.sessionNode)})`
                  : 'none'}{' '}
            ·{' '}
          </>
        )}
        Cart: {held.cart.length === 0 ? 'empty' : held.cart.join(', ')} · Checkout step {held.checkoutStep}
      </p>
      <section className="you-last" aria-label="Last response" aria-live="polite">
        {last === null ? (
          <p>No request yet.</p>
        ) : (
          <>
            <p className="you-status" data-ok={last.status >= 200 && last.status < 400 ? '' : undefined}>
              {last.action}: <strong>{last.status === 0 ? 'no answer' : last.status}</strong>
              {last.servedBy !== null && (
                <>
                  {' '}
                  · served by <strong>{nodeLabel(last.servedBy)}</strong>
                </>
              )}
            </p>
            {last.reason !== null && <p className="you-reason">{last.reason}</p>}
            {last.explanation !== null && <p className="you-why">{last.explanation}</p>}
            {lastId !== null && (
              <button type="button" onClick={() => inspect.getState().inspect({ cluster, requestId: lastId })}>
                Inspect this request
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
}
