/**
 * The users on the left. Few clients get full rows with names; many (or a Compare pane) get a grid
 * of compact tokens; past DRAWN_CLIENTS_MAX the first ones are drawn and the rest summed up in one
 * block (ClientSummary). One credential card follows the hovered or focused user.
 *
 * The column draws a deferred copy of the snapshot (useDeferredValue): when a whole new run lands
 * (a what-if's answer, a rewind) every user changes at once, and React renders the column in the
 * background, yielding to the browser every few ms, after the nodes and numbers are on screen —
 * instead of lengthening the one frame that shows the answer. It catches up within a few frames;
 * users whose snapshot did not change are not rendered again (ClientItem is memoised on it).
 */
import {
  useDeferredValue,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import { ClientItem } from './ClientItem';
import { CredentialCard } from './CredentialCard';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';
import { LostCount } from './LostCount';
import { CLIENT_EDGE } from './anchors';
import { useGridFit } from './useGridFit';
import { DRAWN_CLIENTS_MAX } from './clientSummary';
import { ClientSummary } from './ClientSummary';
import { isRecentlyLost } from './clientStatus';

/** Above this many clients, rows with names would be too small to read from the back. */
export const FULL_ROWS_MAX = 16;
const FULL_ROWS_MAX_COMPARE = 8;

/**
 * One Tab stop for the whole list (200 clients must not stand between the teacher's keyboard and
 * the server buttons); arrow keys, Home and End move between users.
 */
function moveFocus(event: KeyboardEvent<HTMLUListElement>, columns: number): void {
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-client]')];
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  const step: Record<string, number> = {
    ArrowDown: columns,
    ArrowUp: -columns,
    ArrowRight: 1,
    ArrowLeft: -1,
    Home: -at,
    End: items.length - 1 - at,
  };
  const delta = step[event.key];
  if (delta === undefined) return;
  event.preventDefault();
  items[Math.min(items.length - 1, Math.max(0, at + delta))]?.focus();
}

function clientIdOf(target: EventTarget | null): string | null {
  return target instanceof Element ? (target.closest('[data-client]')?.getAttribute('data-client') ?? null) : null;
}

export function ClientColumn({ cluster, feed, compare }: { cluster: ClusterKey; feed: StageFeed; compare: boolean }) {
  const latest = useSim((s) => selectCluster(s, cluster)?.snapshot);
  const speed = useSim((s) => s.scenario.speed);
  const snapshot = useDeferredValue(latest);
  const count = snapshot?.clients.length ?? 0;
  const drawn = Math.min(count, DRAWN_CLIENTS_MAX);
  const [shown, setShown] = useState<string | null>(null);
  const compact = drawn > (compare ? FULL_ROWS_MAX_COMPARE : FULL_ROWS_MAX);
  const boxRef = useRef<HTMLDivElement>(null);
  const fit = useGridFit(boxRef, drawn, compact);
  const show = (event: PointerEvent | FocusEvent): void => setShown(clientIdOf(event.target));
  // The same elements while the deferred snapshot stands: the urgent render skips the whole list.
  const items = useMemo(
    () =>
      snapshot?.clients
        .slice(0, DRAWN_CLIENTS_MAX)
        .map((client, index) => (
          <ClientItem
            key={client.id}
            client={client}
            recentlyLost={isRecentlyLost(client, snapshot.time, speed)}
            index={index}
            feed={feed}
            compact={compact}
          />
        )),
    [snapshot, speed, feed, compact],
  );
  return (
    <div
      className="stage-clients"
      data-look-id="clients"
      onPointerOver={show}
      onPointerLeave={() => setShown(null)}
      onFocus={show}
      onBlur={() => setShown(null)}
    >
      <h3 className="stage-label">
        Clients <span className="stage-label-count">{count}</span> <LostCount cluster={cluster} />
      </h3>
      <div className="client-box" ref={boxRef}>
        <ul
          ref={compact ? feed.anchors.ref(CLIENT_EDGE) : undefined}
          className={compact ? 'client-grid' : 'client-list'}
          data-count={drawn}
          onKeyDown={(event) => moveFocus(event, compact ? (fit?.columns ?? 1) : 1)}
          style={
            fit === null
              ? undefined
              : { ['--columns' as string]: String(fit.columns), ['--cell' as string]: `${Math.floor(fit.cellPx)}px` }
          }
        >
          {items}
        </ul>
      </div>
      {count > drawn && <ClientSummary cluster={cluster} feed={feed} from={drawn} />}
      {shown !== null && <CredentialCard cluster={cluster} clientId={shown} feed={feed} />}
    </div>
  );
}
