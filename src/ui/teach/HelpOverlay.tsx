import { useUi } from '../../state/uiStore';
import { Overlay } from './Overlay';
import { SHORTCUTS } from './shortcuts';
import { toggleFullscreen } from './useShortcuts';

export function HelpOverlay() {
  const open = useUi((s) => s.helpOpen);
  const set = useUi((s) => s.set);
  if (!open) return null;
  return (
    <Overlay title="Keyboard shortcuts" onClose={() => set({ helpOpen: false })}>
      <table className="teach-keys">
        <tbody>
          {SHORTCUTS.map(({ keys, does }) => (
            <tr key={keys}><th scope="row"><kbd>{keys}</kbd></th><td>{does}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="teach-note">Click a server (or focus it and press Enter) to fail it; click again to recover it.</p>
      <button type="button" className="teach-fullscreen" onClick={toggleFullscreen}>Full screen</button>
    </Overlay>
  );
}
