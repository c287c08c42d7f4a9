/**
 * Global keyboard shortcuts for the teacher (and a presenter remote, which sends PageDown/PageUp
 * and "." or "B"). Keys typed into a field, or Space/Enter on a focused control, keep their usual
 * meaning.
 */
import { useEffect } from 'react';
import type { SimulationStore } from '../../state/simulationStore';
import type { LessonRunner } from '../../state/lessonRunner';
import { useUi } from '../../state/uiStore';
import { nextSpeed } from './shortcuts';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen?.();
  else void document.documentElement.requestFullscreen?.().catch(() => undefined);
}

export function useShortcuts(store: SimulationStore, lessons: LessonRunner): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const ui = useUi.getState();
      const sim = store.getState();
      const onControl = event.target instanceof HTMLElement && event.target.closest('button, a, [role="button"], [role="radio"], [role="slider"]') !== null;
      const key = event.key;
      let handled = true;
      if (ui.blanked && key !== 'Escape' && key !== '.' && key.toLowerCase() !== 'b') return;
      if (/^[1-9]$/.test(key)) {
        const node = sim.clusters[0]?.snapshot.nodes[Number(key) - 1];
        if (node !== undefined) sim.toggleNode(node.id);
      } else if (key === ' ' && !onControl) {
        sim.togglePlaying();
      } else if (key === 'ArrowRight' && !onControl) {
        if (sim.playing) sim.setPlaying(false);
        sim.step(1_000);
      } else if (key === '+' || key === '=') {
        sim.setScenario({ speed: nextSpeed(sim.scenario.speed, 1) });
      } else if (key === '-' || key === '_') {
        sim.setScenario({ speed: nextSpeed(sim.scenario.speed, -1) });
      } else if (key === 'c' || key === 'C') {
        sim.setScenario({ mode: sim.scenario.mode === 'compare' ? 'stateful' : 'compare' });
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
      } else if (key === '.' || key === 'b' || key === 'B') {
        const blanked = !ui.blanked;
        ui.set({ blanked });
        sim.setPlaying(!blanked);
      } else if (key === 'Escape') {
        if (ui.blanked) {
          ui.set({ blanked: false });
          sim.setPlaying(true);
        } else if (ui.helpOpen || ui.lessonsOpen) ui.set({ helpOpen: false, lessonsOpen: false });
        else handled = false;
      } else {
        handled = false;
      }
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, lessons]);
}
