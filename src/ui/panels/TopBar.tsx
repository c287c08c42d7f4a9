/**
 * The top bar: title, mode, playback, speed on the first row; live cluster changes, the side-panel
 * tabs and settings on the second — two rows at 1280×720 and 1920×1080 whatever the cluster shows
 * (a row that appears mid-lesson would shrink the stage under the room's eyes). Every control is a
 * native element, so keyboard and screen readers get the right roles for free.
 */
import './panels.css';
import { ModeChooser } from './ModeChooser';
import { PlaybackControls } from './PlaybackControls';
import { SpeedControl } from './SpeedControl';
import { NodeControls, StoreControl } from './ClusterControls';
import { SettingsMenu } from './SettingsMenu';

export function TopBar() {
  return (
    <header className="top-bar">
      <h1>Stateless vs Stateful</h1>
      <ModeChooser />
      <PlaybackControls />
      <SpeedControl />
      <NodeControls />
      <StoreControl />
      <SettingsMenu />
    </header>
  );
}
