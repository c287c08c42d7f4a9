/** Play / Pause, Step and Reset (contract §4), and the Space-bar shortcut for Play / Pause. */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';
import { PauseIcon, PlayIcon, ResetIcon, StepIcon } from './icons';

const selectPlaying = (s: SimulationState): boolean => s.playing;
const selectActions = (s: SimulationActions) => ({ togglePlaying: s.togglePlaying, step: s.step, reset: s.reset });

/** One simulated second per Step: long enough to see requests move, short enough to follow. */
const STEP_MS = 1_000;

/** Space (or K) toggles Play / Pause when no control has the focus, as in video players. */
function usePlayPauseKey(togglePlaying: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as Element | null;
      if (target !== null && target !== document.body && target !== document.documentElement) return;
      if (event.key === ' ' || event.key === 'k') {
        event.preventDefault();
        togglePlaying();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [togglePlaying]);
}

export function PlaybackControls() {
  const playing = useSim(selectPlaying);
  const { togglePlaying, step, reset } = useSim(useShallow(selectActions));
  usePlayPauseKey(togglePlaying);
  return (
    <div className="playback" role="group" aria-label="Playback">
      <button type="button" className="primary play" onClick={togglePlaying} title="Space bar also plays and pauses">
        {playing ? <PauseIcon /> : <PlayIcon />}{playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => step(STEP_MS)} disabled={playing} title={playing ? 'Pause first, then step one simulated second at a time' : 'Advance one simulated second'}>
        <StepIcon />Step
      </button>
      <button type="button" onClick={reset} title="Start the same scenario again from 0 s">
        <ResetIcon />Reset
      </button>
    </div>
  );
}
