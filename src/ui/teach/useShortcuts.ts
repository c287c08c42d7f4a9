/**
 * Global keyboard shortcuts for the teacher (and a presenter remote, which sends PageDown/PageUp
 * and "." or "B").
 *
 * Where the focus is matters little, on purpose: a teacher clicks a server with the mouse, the
 * button keeps the focus, and the next Space must still pause the run (not click the server
 * again). So:
 * - keys typed into a text field or a select keep their usual meaning (no shortcut at all);
 * - Space is play / pause everywhere else — a focused button is activated with Enter, and Enter
 *   also ticks a focused checkbox (whose own key, Space, plays and pauses here);
 * - → steps everywhere, except in a slider (or radio group, tab list…) reached with the keyboard,
 *   where the arrows move it; a slider merely clicked with the mouse does not keep them;
 * - a component that handled a key itself (`preventDefault`, e.g. the client list's arrows) wins;
 * - while a dialog is open the page behind it is out of reach: only Esc, ?, L, F, and the blank
 *   keys work — digits never fail a server behind the help.
 */
import { useEffect } from 'react';
import type { ClusterKey, SimulationStore } from '../../state/simulationStore';
import { CLUSTER_LABEL } from '../../state/simulationStore';
import type { LessonRunner } from '../../lessons/runner';
import { useUi } from '../../state/uiStore';
import { nextSpeed } from './shortcuts';

/** Input types that take no typed text: shortcuts work while one of them has the focus. */
const NOT_TEXT = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/** Keys typed here are text (or a select's own choice), never a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target instanceof HTMLInputElement && !NOT_TEXT.has(target.type);
}

/** A control whose arrow keys move it (slider, radio group, tab list, list box, menu). */
function ownsArrows(target: HTMLElement): boolean {
  return (
    target.closest(
      'input[type="range"], input[type="radio"], [role="slider"], [role="radio"], [role="radiogroup"], [role="tablist"], [role="listbox"], [role="menu"], [role="spinbutton"]',
    ) !== null
  );
}

/** Reached with the keyboard (a mouse click leaves it false); true where the browser cannot tell. */
function focusedByKeyboard(target: HTMLElement): boolean {
  try {
    return target.matches(':focus-visible');
  } catch {
    return true;
  }
}

/** A modal is open: the help, the lessons, or any other `aria-modal` dialog on the page. */
export function modalOpen(): boolean {
  const ui = useUi.getState();
  return ui.helpOpen || ui.lessonsOpen || document.querySelector('[aria-modal="true"], dialog[open]') !== null;
}

export function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen?.()?.catch?.(() => undefined);
  else void document.documentElement.requestFullscreen?.()?.catch?.(() => undefined);
}

/** Blanks the screen and pauses; unblanking restores the play state from before (paused stays paused). */
export function setBlanked(store: SimulationStore, blanked: boolean): void {
  const ui = useUi.getState();
  if (blanked === ui.blanked) return;
  const sim = store.getState();
  if (blanked) {
    ui.set({ blanked: true, playingBeforeBlank: sim.playing });
    sim.setPlaying(false);
  } else {
    ui.set({ blanked: false });
    sim.setPlaying(ui.playingBeforeBlank);
  }
}

/**
 * The cluster a digit key acts on: the only one, or in Compare the pane the teacher last clicked
 * or focused (Stateful (sessions) until then). With failures linked the store fails the node in
 * both clusters, taking its direction (fail / recover) from this one.
 */
export function keyClusterOf(store: SimulationStore): ClusterKey {
  const sim = store.getState();
  return sim.scenario.mode === 'compare' ? useUi.getState().keyCluster : sim.scenario.mode;
}

/**
 * Digit N acts on the node labelled "Server N" (id `server-N`), not on the N-th card: after a
 * removal the cards no longer match the labels. No such server: a notice, nothing fails.
 */
export function toggleServerByNumber(store: SimulationStore, n: number): void {
  const sim = store.getState();
  const cluster = keyClusterOf(store);
  const nodeId = `server-${n}`;
  const view = sim.clusters.find((c) => c.key === cluster) ?? sim.clusters[0];
  if (view === undefined || !view.snapshot.nodes.some((node) => node.id === nodeId)) {
    sim.addNotice(
      `There is no Server ${n}${sim.scenario.mode === 'compare' && !sim.linkFailures ? ` in ${CLUSTER_LABEL[cluster]}` : ''}.`,
    );
    return;
  }
  sim.toggleNode(nodeId, view.key);
}

/** The cluster pane an element sits in (Compare mode's regions are named after their cluster). */
function paneCluster(target: EventTarget | null): ClusterKey | null {
  if (!(target instanceof Element)) return null;
  const label = target.closest('.cluster-pane[aria-label]')?.getAttribute('aria-label');
  const found = (Object.entries(CLUSTER_LABEL) as [ClusterKey, string][]).find(([, name]) => name === label);
  return found?.[0] ?? null;
}

/** Keys that still work while a dialog is open. */
const IN_DIALOG = new Set(['Escape', '?', 'l', 'L', 'f', 'F', '.', 'b', 'B']);
/** Keys that may repeat when held down; any other key acts once per press. */
const REPEATS = new Set(['ArrowRight', '+', '=', '-', '_']);

export function useShortcuts(store: SimulationStore, lessons: LessonRunner): void {
  // The mode `C` returns to from Compare: whichever single mode was shown last, however it was chosen.
  useEffect(() => {
    const remember = (mode: string): void => {
      if ((mode === 'stateless' || mode === 'stateful') && useUi.getState().previousMode !== mode)
        useUi.getState().set({ previousMode: mode });
    };
    remember(store.getState().scenario.mode);
    return store.subscribe((state, before) => {
      if (state.scenario.mode !== before.scenario.mode) remember(state.scenario.mode);
    });
  }, [store]);

  // Compare: the pane last clicked or focused is the one the digits act on when failures are unlinked.
  useEffect(() => {
    const follow = (event: Event): void => {
      const cluster = paneCluster(event.target);
      if (cluster !== null && useUi.getState().keyCluster !== cluster) useUi.getState().set({ keyCluster: cluster });
    };
    document.addEventListener('pointerdown', follow, true);
    document.addEventListener('focusin', follow, true);
    return () => {
      document.removeEventListener('pointerdown', follow, true);
      document.removeEventListener('focusin', follow, true);
    };
  }, []);

  useEffect(() => {
    /** Space was taken as play / pause: its keyup must not activate the focused control either. */
    let swallowSpaceUp = false;
    const onKeyUp = (event: KeyboardEvent): void => {
      if (event.key === ' ' && swallowSpaceUp) {
        swallowSpaceUp = false;
        event.preventDefault();
      }
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const ui = useUi.getState();
      const sim = store.getState();
      const target = event.target instanceof HTMLElement ? event.target : null;
      const key = event.key;
      const blankKey = key === '.' || key === 'b' || key === 'B';
      if (ui.blanked && key !== 'Escape' && !blankKey) {
        if (key === ' ') event.preventDefault();
        return;
      }
      if (modalOpen() && !IN_DIALOG.has(key)) return; // the dialog's own controls keep their keys
      if (key === 'Enter') {
        // A checkbox's own key is Space, which plays and pauses here; Enter ticks it instead.
        if (target instanceof HTMLInputElement && target.type === 'checkbox') {
          event.preventDefault();
          target.click();
        }
        return;
      }
      if (key === 'ArrowRight' && target !== null && ownsArrows(target) && focusedByKeyboard(target)) return;
      let handled = true;
      const act = !event.repeat || REPEATS.has(key);
      if (!act) {
        handled = [
          '1',
          '2',
          '3',
          '4',
          '5',
          '6',
          '7',
          '8',
          '9',
          ' ',
          'PageDown',
          'PageUp',
          'Escape',
          '.',
          'b',
          'B',
          'c',
          'C',
          'l',
          'L',
          'p',
          'P',
          'f',
          'F',
          '?',
        ].includes(key);
      } else if (/^[1-9]$/.test(key)) {
        toggleServerByNumber(store, Number(key));
      } else if (key === ' ') {
        sim.togglePlaying();
        swallowSpaceUp = true;
      } else if (key === 'ArrowRight') {
        if (sim.playing) sim.setPlaying(false);
        sim.step(1_000);
      } else if (key === '+' || key === '=') {
        sim.setScenario({ speed: nextSpeed(sim.scenario.speed, 1) });
      } else if (key === '-' || key === '_') {
        sim.setScenario({ speed: nextSpeed(sim.scenario.speed, -1) });
      } else if (key === 'c' || key === 'C') {
        sim.setScenario({ mode: sim.scenario.mode === 'compare' ? ui.previousMode : 'compare' });
      } else if (key === 'l' || key === 'L') {
        ui.set({ lessonsOpen: !ui.lessonsOpen, helpOpen: false });
      } else if (key === 'p' || key === 'P') {
        ui.set({ projector: !ui.projector });
      } else if (key === 'f' || key === 'F') {
        toggleFullscreen();
      } else if (key === '?') {
        ui.set({ helpOpen: !ui.helpOpen, lessonsOpen: false });
      } else if (key === 'PageDown') {
        lessons.next();
      } else if (key === 'PageUp') {
        lessons.back();
      } else if (blankKey) {
        setBlanked(store, !ui.blanked);
      } else if (key === 'Escape') {
        if (ui.blanked) setBlanked(store, false);
        else if (ui.helpOpen || ui.lessonsOpen) ui.set({ helpOpen: false, lessonsOpen: false });
        else handled = false;
      } else {
        handled = false;
      }
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [store, lessons]);
}
