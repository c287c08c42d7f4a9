/**
 * A server node: a real button (contract §4: "Server 2, up — click to fail") showing its state, the
 * requests inside it and its sessions. A crash shakes and flashes it once; recovery fades it back.
 */
import { memo, useCallback, useEffect, useRef } from 'react';
import { useAnimate, useReducedMotion } from 'framer-motion';
import type { NodeSnapshot } from '../../engine';
import { useSim } from '../../state/SimulationProvider';
import { nodeLabel } from '../../state/labels';
import type { ClusterKey } from '../../state/simulationStore';
import { NODE_STATE_TEXT, nodeButtonName, nodeState } from './nodeStatus';
import { SessionChips } from './SessionChips';
import { failedChecksText } from './failedChecks';
import './health.css';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';
import './replication.css';
import './grayFailure.css';
import './tokens.css';
import './deploy.css';

/**
 * The version a node runs, shown once a deploy has begun (v1 everywhere says nothing), with its part
 * in a rolling deploy the state line does not already say: waiting its turn, restarting, starting.
 */
function releaseText(node: NodeSnapshot): string | null {
  if (node.deploy === null) return node.version === 'v1' ? null : node.version;
  return node.deploy === 'draining' ? node.version : `${node.version} · ${node.deploy}`;
}

/** Where a user's session lives: in this node's memory, in the shared store, or nowhere (JWT). */
export type SessionsAt = 'node' | 'store' | 'none';

export const NodeCard = memo(function NodeCard({
  cluster,
  index,
  feed,
  workers,
  sessionsAt,
}: {
  cluster: ClusterKey;
  index: number;
  feed: StageFeed;
  workers: number;
  sessionsAt: SessionsAt;
}) {
  const node = useSim((s) => selectCluster(s, cluster)?.snapshot.nodes[index]);
  // Requests it finished in the last whole simulated second: a 5 ms service time leaves the worker
  // slots empty at almost every publish, so the rate is what shows the room its load.
  const perSecond = useSim((s) => {
    const view = selectCluster(s, cluster);
    const id = view?.snapshot.nodes[index]?.id;
    const window = view?.metrics.window;
    const second = window === undefined ? undefined : window[window.length - 2];
    return id === undefined || second === undefined ? 0 : (second.byNode[id] ?? 0);
  });
  const preset = useSim((s) => selectCluster(s, cluster)?.snapshot.balancerPreset ?? 'haproxy');
  const toggleNode = useSim((s) => s.toggleNode);
  const apply = useSim((s) => s.apply);
  // Drain needs another node to take the users: not the last one still in the pool.
  const canDrain = useSim(
    (s) => (selectCluster(s, cluster)?.snapshot.nodes.filter((n) => !n.draining).length ?? 0) > 1,
  );
  // Token keys are shown once a key was rotated or a node is lazy (k1 everywhere says nothing).
  const keysShown = useSim(
    (s) =>
      selectCluster(s, cluster)?.snapshot.nodes.some(
        (n) => !n.verify || n.keyIds.length !== 1 || n.keyIds[0] !== 'k1',
      ) ?? false,
  );
  // A shared store (sessions, or the deny-list): each node's link to it can be cut (a gray failure).
  const hasStore = useSim((s) => (selectCluster(s, cluster)?.snapshot.store ?? null) !== null);
  const reducedMotion = useReducedMotion() ?? false;
  const [scope, animate] = useAnimate<HTMLButtonElement>();
  const previous = useRef(node?.status);

  useEffect(() => {
    const was = previous.current;
    previous.current = node?.status;
    if (scope.current === null || was === undefined || was === node?.status) return;
    if (node?.status === 'down') {
      if (reducedMotion) void animate(scope.current, { opacity: [0.3, 1] }, { duration: 0.6 });
      else void animate(scope.current, { x: [0, -14, 12, -9, 7, -3, 0], scale: [1, 1.04, 1] }, { duration: 0.55 });
    } else {
      void animate(scope.current, { opacity: [0.2, 1] }, { duration: reducedMotion ? 0.6 : 0.8 });
    }
  }, [node?.status, animate, scope, reducedMotion]);

  const nodeId = node?.id ?? '';
  const anchorRef = feed.anchors.ref(`node:${nodeId}`);
  const ref = useCallback(
    (element: HTMLButtonElement | null) => {
      (scope as { current: HTMLButtonElement | null }).current = element;
      anchorRef(element);
    },
    [scope, anchorRef],
  );

  if (node === undefined) return null;
  const label = nodeLabel(node.id);
  const state = nodeState(node);
  const inService = Math.min(workers, node.inFlight - node.queued);
  const release = releaseText(node);
  return (
    <div className="node-item">
      <button
        ref={ref}
        type="button"
        className="node-card"
        data-state={state}
        data-draining={node.draining ? '' : undefined}
        data-store-link={node.storeLink === 'cut' ? 'cut' : undefined}
        data-look-id={`node:${node.id}`}
        aria-label={`${nodeButtonName(label, node)}${node.draining ? ' (draining: finishing its requests, then it leaves)' : ''}${release === null ? '' : ` (${release})`}`}
        onClick={() => toggleNode(node.id, cluster)}
      >
        <span className="node-head">
          <span className="node-name">{label}</span>
          {release !== null && (
            <span className="node-version" data-deploy={node.deploy ?? undefined}>
              {release}
            </span>
          )}
          <span className="node-state">
            {state === 'down' ? (
              <>
                <span aria-hidden="true">✕ </span>DOWN
              </>
            ) : node.draining ? (
              'draining'
            ) : // A deploy's new node says so on its tag ("v2 · starting"): here, only what it waits for.
            node.deploy === 'starting' && state === 'rejoining' ? (
              'waiting for health checks'
            ) : (
              NODE_STATE_TEXT[state]
            )}
          </span>
        </span>
        <span className="node-work" aria-hidden="true">
          <span className="node-slots">
            {Array.from({ length: workers }, (_, i) => (
              <span key={i} className="node-slot" data-busy={i < inService ? '' : undefined} />
            ))}
          </span>
          <span className="node-queue">
            {node.queued > 0 ? `+${node.queued} queued` : `${node.inFlight} in`} · {perSecond}/s
          </span>
        </span>
        {node.failedChecks > 0 && (
          <span className="node-checks" data-look-id={`checks:${node.id}`}>
            {failedChecksText(preset, node.failedChecks, node.fall)}
          </span>
        )}
        {node.storeLink === 'cut' && (
          <span className="node-sessions">
            <span className="node-link-cut" data-look-id={`link:${node.id}`}>
              <span aria-hidden="true">✕ </span>store link cut
            </span>
          </span>
        )}
        {sessionsAt !== 'node' && node.storeLink !== 'cut' && (
          <span className="node-sessions">
            {sessionsAt === 'none' && keysShown ? (
              <span className="node-sessions-count node-tokens">
                {/* A lazy node checks no key at all: the badge takes the keys' place. */}
                {node.verify ? (
                  <span className="node-keys">keys {node.keyIds.join(' ')}</span>
                ) : (
                  <span className="node-lazy-badge">no signature check</span>
                )}
              </span>
            ) : (
              <span className="node-sessions-count node-stateless">
                {sessionsAt === 'store' ? 'sessions live in the store' : 'no sessions kept'}
              </span>
            )}
          </span>
        )}
        {sessionsAt === 'node' && (
          <span className="node-sessions">
            <span className="node-sessions-count">
              {node.sessions} session{node.sessions === 1 ? '' : 's'}
              {node.sessionCopies > 0 && (
                <span className="node-copies">
                  + {node.sessionCopies} cop{node.sessionCopies === 1 ? 'y' : 'ies'}
                </span>
              )}
            </span>
            <SessionChips clientIds={node.sessionClients} crashed={node.status === 'down'} />
          </span>
        )}
        {state === 'down' || state === 'crashed' ? <span className="node-cross" aria-hidden="true" /> : null}
      </button>
      {node.status === 'up' && !node.draining && canDrain && (
        <button
          type="button"
          className="node-action node-drain"
          aria-label={`Drain ${label}`}
          title={`Drain ${label}: no new users, it finishes what is inside, then leaves`}
          onClick={() => apply({ type: 'drainNode', node: node.id }, cluster)}
        >
          Drain
        </button>
      )}
      {hasStore && node.status === 'up' && (
        <button
          type="button"
          className="node-action node-link"
          aria-pressed={node.storeLink === 'cut'}
          aria-label={`${node.storeLink === 'cut' ? 'Restore' : 'Cut'} store link to ${label}`}
          title={
            node.storeLink === 'cut'
              ? `Restore ${label}'s network link to the store`
              : `Cut ${label}'s network link to the store: it stays up and passes its health checks, but cannot reach the store`
          }
          onClick={() =>
            apply({ type: node.storeLink === 'cut' ? 'restoreStoreLink' : 'cutStoreLink', node: node.id }, cluster)
          }
        >
          {node.storeLink === 'cut' ? 'Restore link' : 'Cut link'}
        </button>
      )}
      {sessionsAt === 'none' && node.status === 'up' && (
        <button
          type="button"
          className="node-action node-lazy"
          aria-pressed={!node.verify}
          aria-label={node.verify ? `Lazy ${label}` : `Verify ${label}`}
          title={
            node.verify
              ? `Lazy ${label}: decode tokens without checking their signature (accepts forgeries)`
              : `Verify ${label}: check every token's signature again`
          }
          onClick={() => apply({ type: 'setVerify', node: node.id, verify: !node.verify }, cluster)}
        >
          {node.verify ? 'Lazy' : 'Verify'}
        </button>
      )}
      {/* The version again in the row under the card, where there is room (the card's name says it in Compare). */}
      {release !== null && (
        <span className="node-version node-release" aria-hidden="true" data-deploy={node.deploy ?? undefined}>
          {release}
        </span>
      )}
    </div>
  );
});
