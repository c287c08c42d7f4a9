import { useUi } from '../../state/uiStore';

/** Presenter remote's "blank screen": black, paused; any of . B Esc brings the stage back. */
export function BlankScreen() {
  const blanked = useUi((s) => s.blanked);
  if (!blanked) return null;
  return <div className="blank-screen" role="status" aria-label="Screen blanked — press B to return" />;
}
