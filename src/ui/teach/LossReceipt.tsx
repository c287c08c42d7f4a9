import './lossReceipt.css';
import { useDeferredValue, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import {
  isThisRun,
  lastCrashAt,
  receiptSetup,
  type LossReceipt as Receipt,
  type ReceiptColumn,
  type UserLoss,
} from '../../state/lossReceipt';
import { cancelReceipt, requestReceipt } from '../../state/receiptClient';
import { useUi } from '../../state/uiStore';
import { secondsText } from '../secondsText';

/** Narrower than this (rem) left of the nodes (Compare), the receipt waits behind its button. */
const MIN_WIDTH_REM = 30;

/**
 * The room left of the first node column inside the workspace, in px (null: not measurable). The
 * receipt stays in it, so it never covers a node or the metrics.
 */
function roomLeftOfNodes(): { px: number; fits: boolean } | null {
  const workspace = document.querySelector('.workspace');
  const nodes = [...document.querySelectorAll('.workspace .stage-nodes')].map((el) => el.getBoundingClientRect().left);
  if (workspace === null || nodes.length === 0) return null;
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const px = Math.min(...nodes) - workspace.getBoundingClientRect().left - 1.5 * rem;
  return { px, fits: px >= MIN_WIDTH_REM * rem };
}

function useRoomLeftOfNodes(active: boolean): { px: number; fits: boolean } | null {
  const projector = useUi((s) => s.projector);
  const mode = useSim((s) => s.scenario.mode);
  const [room, setRoom] = useState<{ px: number; fits: boolean } | null>(null);
  useLayoutEffect(() => {
    if (!active) return;
    const measure = (): void => {
      const next = roomLeftOfNodes();
      setRoom((last) => (last?.px === next?.px && last?.fits === next?.fits ? last : next));
    };
    measure();
    window.addEventListener('resize', measure);
    // The node column moves when a column beside it changes width (the clients' labels after a
    // crash, the metrics' numbers growing, projector mode's type settling): measured again then, so
    // the receipt never covers a node.
    const columns = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    for (const column of document.querySelectorAll(
      '.workspace, .workspace > *, .workspace .stage, .workspace .stage > *, .workspace .stage-middle > *',
    ))
      columns?.observe(column);
    return () => {
      window.removeEventListener('resize', measure);
      columns?.disconnect();
    };
  }, [active, projector, mode]);
  return room;
}

/** User rows shown at most; the totals row always counts everyone. */
const MAX_ROWS = 6;

function nodeName(id: string): string {
  return id.replace(/^server-/, 'Server ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function lossParts(loss: UserLoss): string[] {
  const parts: string[] = [];
  if (loss.loggedOut) parts.push('Logged out');
  if (loss.cartItems > 0) parts.push(`${plural(loss.cartItems, 'item')} lost`);
  if (loss.checkoutStep > 0) parts.push(`Checkout step ${loss.checkoutStep} lost`);
  return parts;
}

function Cell({ parts }: { parts: string[] | null }) {
  if (parts === null) return <td className="receipt-na">Not in this build</td>;
  if (parts.length === 0) return <td className="receipt-none">Nothing lost</td>;
  return (
    <td className="receipt-lost">
      {parts.map((part) => (
        <span key={part}>{part}</span>
      ))}
    </td>
  );
}

function totalParts(column: ReceiptColumn): string[] {
  const { loggedOut, cartItems, checkouts } = column.totals;
  const parts: string[] = [];
  if (loggedOut > 0) parts.push(`${plural(loggedOut, 'user')} logged out`);
  if (cartItems > 0) parts.push(`${plural(cartItems, 'cart item')} lost`);
  if (checkouts > 0) parts.push(`${plural(checkouts, 'checkout')} lost`);
  return parts;
}

/**
 * The loss receipt (issue 10): when a node crashes, a table over the client column says what each
 * user lost — and what the same users would have lost at the same moment with a shared store,
 * replicated sessions or JWTs, each replayed from the same seed (state/lossReceipt.ts). It opens by
 * itself at a crash, closes with its button (a "Loss receipt" button among the teaching buttons
 * brings it back: `slot`, where it is drawn over nothing the room reads), and a rewind to before the
 * crash hides it.
 */
export function LossReceipt({ slot }: { slot: HTMLElement | null }) {
  const store = useSimulationStore();
  const marks = useSim((s) => s.timeline.marks);
  const nowMs = useSim((s) => s.clusters[0]?.snapshot.time ?? 0);
  const scenario = useSim((s) => s.scenario);
  // Deferred: when a replayed what-if lands, the new run is drawn first and the receipt a moment
  // later, in a render of its own (the answer's frame stays short).
  const busy = useDeferredValue(useSim((s) => s.whatIfProgress !== null));
  const crash = lastCrashAt(marks, nowMs);
  const epochMs = store.getState().runtime.epochMs;
  // Everything the receipt depends on: the crash, the run (its epoch and setup) and what came before.
  // Not where the sessions live: a what-if that moves them keeps the receipt (and whether it was closed).
  const key =
    crash === null
      ? null
      : JSON.stringify([
          crash,
          epochMs,
          receiptSetup(scenario),
          marks.filter((mark) => mark.timeMs < crash.timeMs).length,
        ]);

  const [result, setResult] = useState<{ key: string; receipt: Receipt } | null>(null);
  const [closedKey, setClosedKey] = useState<string | null>(null);
  const [openedKey, setOpenedKey] = useState<string | null>(null);
  // Closed with its × (gone with it), the keyboard's focus moves once to the button that brings it back.
  const focusReopen = useRef(false);
  const room = useRoomLeftOfNodes(key !== null);
  // Where the stage leaves too little room beside the nodes (Compare), it opens only when asked.
  const fits = room?.fits ?? true;

  useEffect(() => {
    if (key === null || crash === null || busy) return;
    let cancelled = false;
    // Computed off the page's thread where it can be (state/receiptClient.ts): the next crash's
    // receipt continues this one's runs (see LossReceiptReplay).
    requestReceipt(scenario, epochMs, marks, crash).then(
      (receipt) => {
        if (!cancelled) setResult({ key, receipt });
      },
      (error: unknown) => {
        // The run itself is unharmed; the receipt stays "Replaying…" and the console says why.
        console.error('The loss receipt could not be computed:', error);
      },
    );
    return () => {
      cancelled = true;
      cancelReceipt();
    };
    // The key holds everything read here; marks and scenario change identity far more often.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, busy]);

  if (key === null || busy) return null;
  if (closedKey === key || (!fits && openedKey !== key)) {
    if (slot === null) return null;
    return createPortal(
      <button
        type="button"
        className="receipt-open"
        data-look-id="receipt"
        ref={(button) => {
          if (button === null || !focusReopen.current) return;
          focusReopen.current = false;
          button.focus();
        }}
        onClick={() => {
          setClosedKey(null);
          setOpenedKey(key);
        }}
      >
        Loss receipt
      </button>,
      slot,
    );
  }
  const receipt = result?.key === key ? result.receipt : null;
  const crashed = crash!.nodes.map(nodeName).join(' and ');
  const title = `Loss receipt — ${crashed} crashed at ${secondsText(crash!.timeMs)}`;
  const shown = receipt?.rows.slice(0, MAX_ROWS) ?? [];
  const more = (receipt?.rows.length ?? 0) - shown.length;
  return (
    <section
      className="loss-receipt"
      data-look-id="receipt"
      role="dialog"
      aria-modal="false"
      aria-labelledby="loss-receipt-title"
      style={room?.fits ? { width: `${room.px}px` } : undefined}
    >
      <header className="receipt-head">
        <h2 id="loss-receipt-title">{title}</h2>
        <button
          type="button"
          className="receipt-close"
          aria-label="Close loss receipt"
          onClick={() => {
            focusReopen.current = true;
            setClosedKey(key);
            setOpenedKey(null);
          }}
        >
          ×
        </button>
      </header>
      {receipt === null ? (
        <p className="receipt-working" role="status">
          Replaying the same users with each setup…
        </p>
      ) : (
        <table className="receipt-table">
          <caption className="visually-hidden">
            What each user lost at the crash, with each place sessions can live (the same seed, replayed)
          </caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              {receipt.columns.map((column) => {
                // The run on screen now (a what-if may have moved its sessions since the receipt was computed).
                const thisRun = isThisRun(column, scenario);
                return (
                  <th scope="col" key={column.id} data-this-run={thisRun ? '' : undefined}>
                    <abbr title={column.label}>{column.short}</abbr>
                    {thisRun && <span className="receipt-this-run">this run</span>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <th scope="row">No one</th>
                <td colSpan={receipt.columns.length} className="receipt-none">
                  No user held anything on {crashed}
                </td>
              </tr>
            )}
            {shown.map((row) => (
              <tr key={row.client}>
                <th scope="row">{row.name}</th>
                {receipt.columns.map((column) => {
                  const loss = row.losses[column.id];
                  return <Cell key={column.id} parts={loss === undefined ? null : lossParts(loss)} />;
                })}
              </tr>
            ))}
            {more > 0 && (
              <tr className="receipt-more">
                <th scope="row" colSpan={receipt.columns.length + 1}>
                  …and {plural(more, 'more user')} (counted in the totals)
                </th>
              </tr>
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {receipt.columns.map((column) => (
                <Cell key={column.id} parts={column.available ? totalParts(column) : null} />
              ))}
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
