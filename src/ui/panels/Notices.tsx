/**
 * Problems the page wants the teacher to know about (a bad value in the link, a refused command),
 * as a strip of small dismissible notes between the top bar and the stage: in the page's flow, so
 * they push the stage down a little and never cover a node or a number (contract §6). At most
 * three show at once; the rest wait behind "N more", and one button dismisses them all. A live
 * region announces them; nothing is modal, so the class goes on while a note is showing.
 */
import './panels.css';
import { useSim } from '../../state/SimulationProvider';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';

/** More than this at once would push the stage too far down on a projector. */
export const NOTICES_SHOWN = 3;

const selectNotices = (s: SimulationState) => s.notices;
const selectDismiss = (s: SimulationActions) => s.dismissNotice;

export function Notices() {
  const notices = useSim(selectNotices);
  const dismiss = useSim(selectDismiss);
  const waiting = notices.length - NOTICES_SHOWN;
  const dismissAll = (): void => {
    for (let i = notices.length - 1; i >= 0; i--) dismiss(i);
  };
  // The live region stays mounted even when empty, so screen readers announce the first notice.
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.slice(0, NOTICES_SHOWN).map((message, index) => (
        <div className="notice" key={`${index}:${message}`}>
          <span className="notice-icon" aria-hidden="true">
            !
          </span>
          <p>{message}</p>
          <button
            type="button"
            className="notice-dismiss"
            aria-label={`Dismiss notice: ${message}`}
            onClick={() => dismiss(index)}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      ))}
      {notices.length > 1 && (
        <p className="notices-more">
          {waiting > 0 && <span>{waiting} more</span>}
          <button type="button" onClick={dismissAll}>
            Dismiss all
          </button>
        </p>
      )}
    </div>
  );
}
