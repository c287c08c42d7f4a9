/**
 * Problems the page wants the teacher to know about (a bad value in the link, a refused command),
 * as small dismissible notes over the top of the stage. A live region announces them; nothing is
 * modal, so the class goes on while a note is showing.
 */
import './panels.css';
import { useSim } from '../../state/SimulationProvider';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';

const selectNotices = (s: SimulationState) => s.notices;
const selectDismiss = (s: SimulationActions) => s.dismissNotice;

export function Notices() {
  const notices = useSim(selectNotices);
  const dismiss = useSim(selectDismiss);
  // The live region stays mounted even when empty, so screen readers announce the first notice.
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((message, index) => (
        <div className="notice" key={`${index}:${message}`}>
          <span className="notice-icon" aria-hidden="true">!</span>
          <p>{message}</p>
          <button type="button" className="notice-dismiss" aria-label={`Dismiss notice: ${message}`} onClick={() => dismiss(index)}>
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      ))}
    </div>
  );
}
