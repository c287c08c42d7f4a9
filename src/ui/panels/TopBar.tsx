/**
 * The top bar: title, mode, playback, live cluster changes, settings. One row at 1280×720 when it
 * fits, wrapping to two otherwise; every control is a native element, so keyboard and screen
 * readers get the right roles for free.
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
