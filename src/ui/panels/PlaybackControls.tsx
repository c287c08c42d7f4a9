/** Play / Pause, Step and Reset (contract §4). Their keyboard shortcuts live in ui/teach/useShortcuts. */
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';
import { PauseIcon, PlayIcon, ResetIcon, StepIcon } from './icons';

const selectPlaying = (s: SimulationState): boolean => s.playing;
const selectActions = (s: SimulationActions) => ({
  togglePlaying: s.togglePlaying,
  setPlaying: s.setPlaying,
  step: s.step,
  reset: s.reset,
});

/** One simulated second per Step: long enough to see requests move, short enough to follow. */
const STEP_MS = 1_000;

export function PlaybackControls() {
  const playing = useSim(selectPlaying);
  const { togglePlaying, setPlaying, step, reset } = useSim(useShallow(selectActions));
  // Step while playing pauses first, as the → shortcut does: one click, one visible second.
  const stepOnce = (): void => {
    if (playing) setPlaying(false);
    step(STEP_MS);
  };
  return (
    <div className="playback" role="group" aria-label="Playback">
      <button type="button" className="primary play" onClick={togglePlaying} title="Space bar also plays and pauses">
        {playing ? <PauseIcon /> : <PlayIcon />}
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={stepOnce} title="Pause and advance one simulated second (→ key)">
        <StepIcon />
        Step
      </button>
      <button type="button" onClick={reset} title="Start the same scenario again from 0 s">
        <ResetIcon />
        Reset
      </button>
    </div>
  );
}
