/**
 * The three modes of contract §4 as toggle buttons (aria-pressed): one press switches the whole
 * page, which a teacher does often, so they sit in the top bar rather than in a menu.
 */
import { useSim } from '../../state/SimulationProvider';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';
import type { ViewMode } from '../../state/scenario';

const MODES: readonly { mode: ViewMode; label: string; hint: string }[] = [
  { mode: 'stateless', label: 'Stateless (JWT)', hint: 'Every request carries a signed token' },
  { mode: 'stateful', label: 'Stateful (sessions)', hint: 'Sessions live on the servers; the client holds a cookie' },
  { mode: 'compare', label: 'Compare', hint: 'Both clusters side by side' },
];

const selectMode = (s: SimulationState): ViewMode => s.scenario.mode;
const selectSetScenario = (s: SimulationActions) => s.setScenario;

export function ModeChooser() {
  const mode = useSim(selectMode);
  const setScenario = useSim(selectSetScenario);
  return (
    <div className="mode-chooser" role="group" aria-label="Mode">
      {MODES.map((m) => (
        <button
          key={m.mode}
          type="button"
          className="toggle"
          aria-pressed={mode === m.mode}
          title={m.hint}
          onClick={() => setScenario({ mode: m.mode })}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}
