/**
 * The simulated clock and the Speed slider (contract §4). The slider is a native range input whose
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
const selectSimTimeMs = (s: SimulationState): number => s.clusters[0]?.snapshot.time ?? 0;

export function formatSpeed(speed: number): string {
  return `${speed}×`;
}

/**
 * Its own component, so the 4×/s tick re-renders one <span>, not the whole bar. Plain spans, not
 * <output>: that element is an implicit role="status", which belongs to the notices alone.
 */
function SimClock() {
  const simTimeMs = useSim(selectSimTimeMs);
  return (
    <span className="sim-clock" title="Simulated time since the start">
      <span className="visually-hidden">Simulated time </span>
      {(simTimeMs / 1000).toFixed(1)} s
    </span>
  );
}

export function SpeedControl() {
  const speed = useSim(selectSpeed);
  const setScenario = useSim(selectSetScenario);
  const id = useId();
  return (
    <div className="speed" role="group" aria-label="Time">
      <SimClock />
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
