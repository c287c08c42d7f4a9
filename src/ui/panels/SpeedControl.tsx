/**
 * The simulated clock and the Speed slider (contract §4). The slider is a native range input whose
 * value is the speed itself (0.25–20 simulated seconds per wall second), so scripts and people read
 * the same number; the output beside it repeats it with its unit.
 */
import { useId } from 'react';
import { useSim } from '../../state/SimulationProvider';
import { SPEED_LIMITS } from '../../state/scenario';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';

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
      <span className="visually-hidden">Simulated time </span>{(simTimeMs / 1000).toFixed(1)} s
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
      <input id={id} type="range" min={SPEED_LIMITS.min} max={SPEED_LIMITS.max} step={0.25} value={speed}
        aria-valuetext={formatSpeed(speed)}
        onChange={(event) => setScenario({ speed: Number(event.currentTarget.value) })} />
      {/* The slider announces its value itself (aria-valuetext); this is for eyes only. */}
      <span className="speed-value" aria-hidden="true">{formatSpeed(speed)}</span>
    </div>
  );
}
