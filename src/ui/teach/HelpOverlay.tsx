import { useSim } from '../../state/SimulationProvider';
import { CLUSTER_LABEL } from '../../state/simulationStore';
import { useUi } from '../../state/uiStore';
import { Overlay } from './Overlay';
import { SHORTCUTS } from './shortcuts';
import { toggleFullscreen } from './useShortcuts';

/** Where the digit keys act in Compare mode: both clusters, or (unlinked) the pane last clicked. */
function CompareKeysNote() {
  const compare = useSim((s) => s.scenario.mode === 'compare');
  const linked = useSim((s) => s.linkFailures);
  const target = useUi((s) => s.keyCluster);
  return (
    <p className="teach-note">
      In Compare, 1 – 9 act on both clusters; with <em>Link failures</em> off, only on the one you last clicked (at
      first Stateful (sessions)).
      {compare && (
        <>
          {' '}
          Now: <strong>{linked ? 'both clusters' : CLUSTER_LABEL[target]}</strong>.
        </>
      )}
    </p>
  );
}

export function HelpOverlay() {
  const open = useUi((s) => s.helpOpen);
  const set = useUi((s) => s.set);
  if (!open) return null;
  return (
    <Overlay title="Keyboard shortcuts" onClose={() => set({ helpOpen: false })}>
      <table className="teach-keys">
        <tbody>
          {SHORTCUTS.map(({ keys, does }) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="teach-note">
        Click a server (or focus it and press Enter) to fail it; again to recover it. Space always plays / pauses.
      </p>
      <CompareKeysNote />
      <button type="button" className="teach-fullscreen" onClick={toggleFullscreen}>
        Full screen
      </button>
    </Overlay>
  );
}
