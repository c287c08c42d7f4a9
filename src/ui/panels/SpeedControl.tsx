/**
 * The Speed slider (contract §4); the simulated clock is the timeline bar's, under the stage (one
 * number in one place, and the top bar keeps to two rows at 1280×720). The slider is a native range input whose
 * value is the speed itself (0.25–20 simulated seconds per wall second), so scripts and people read
 * the same number; the output beside it repeats it with its unit.
 */
import { useId } from 'react';
import { useSim } from '../../state/SimulationProvider';
import { SPEED_LIMITS } from '../../state/scenario';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';

/** The speeds a teacher actually uses (the + / − shortcuts step through the same ones). */
const SPEED_STOPS = [0.25, 0.5, 1, 2, 5, 10, 20] as const;

const selectSpeed = (s: SimulationState): number => s.scenario.speed;
const selectSetScenario = (s: SimulationActions) => s.setScenario;

export function formatSpeed(speed: number): string {
  return `${speed}×`;
}

export function SpeedControl() {
  const speed = useSim(selectSpeed);
  const setScenario = useSim(selectSetScenario);
  const id = useId();
  return (
    <div className="speed" role="group" aria-label="Speed">
      <label htmlFor={id}>Speed</label>
      <input
        id={id}
        type="range"
        min={SPEED_LIMITS.min}
        max={SPEED_LIMITS.max}
        step={0.25}
        value={speed}
        aria-valuetext={formatSpeed(speed)}
        list={`${id}-stops`}
        onChange={(event) => setScenario({ speed: Number(event.currentTarget.value) })}
      />
      {/* Tick marks at the usual speeds; Chromium also snaps a drag to them, so 1× is easy to hit. */}
      <datalist id={`${id}-stops`}>
        {SPEED_STOPS.map((stop) => (
          <option key={stop} value={stop} />
        ))}
      </datalist>
      {/* The slider announces its value itself (aria-valuetext); this is for eyes only. */}
      <span className="speed-value" aria-hidden="true">
        {formatSpeed(speed)}
      </span>
    </div>
  );
}
