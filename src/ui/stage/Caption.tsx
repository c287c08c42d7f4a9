import { useSim } from '../../state/SimulationProvider';

/** The one-line caption under the stage: what just happened, large enough for the back row. */
export function Caption() {
  const caption = useSim((s) => s.caption);
  return <p className="caption" aria-live="polite">{caption ?? 'Click a server to make it fail.'}</p>;
}
