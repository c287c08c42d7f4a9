/**
 * Walks a guided lesson on the page's live clusters.
 * - Opening a lesson at a step (a link, Back) replays the lesson to that step: deterministic, so a
 *   shared link shows the same cluster.
 * - Next continues live: the step's commands act on the clusters the room has been watching; a step
 *   that changes the scenario starts afresh. A step with a prediction pauses first and asks.
 */
import { findLesson } from '../lessons/lessons';
import { replayLessonTo } from '../lessons/replay';
import type { LessonStep } from '../lessons/types';
import { useUi } from './uiStore';
import type { SimulationStore } from './simulationStore';

export const LESSON_HASH_KEYS = { lesson: 'lesson', step: 'step' } as const;

function writeLessonHash(id: string | null, step: number): void {
  if (typeof window === 'undefined') return;
  const params = new URLSearchParams(window.location.hash.slice(1));
  if (id === null) {
    params.delete(LESSON_HASH_KEYS.lesson);
    params.delete(LESSON_HASH_KEYS.step);
  } else {
    params.set(LESSON_HASH_KEYS.lesson, id);
    params.set(LESSON_HASH_KEYS.step, String(step + 1));
  }
  const hash = `#${params.toString()}`;
  if (hash !== window.location.hash) window.history.replaceState(window.history.state, '', hash);
}

/** Reads `lesson=…&step=N` (N counts from 1) from a hash. */
export function lessonFromHash(hash: string): { id: string; step: number } | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const id = params.get(LESSON_HASH_KEYS.lesson);
  if (id === null) return null;
  const lesson = findLesson(id);
  if (lesson === undefined) return null;
  const step = Number(params.get(LESSON_HASH_KEYS.step) ?? '1');
  return { id, step: Number.isInteger(step) ? Math.min(Math.max(step, 1), lesson.steps.length) - 1 : 0 };
}

export function createLessonRunner(store: SimulationStore) {
  const hasPrediction = (step: LessonStep | undefined): boolean => step?.predict !== undefined;

  function open(id: string, stepIndex = 0): void {
    const lesson = findLesson(id);
    if (lesson === undefined) {
      store.getState().addNotice(`There is no lesson "${id}".`);
      return;
    }
    const step = Math.min(Math.max(stepIndex, 0), lesson.steps.length - 1);
    const asks = hasPrediction(lesson.steps[step]);
    const { scenario, sims } = replayLessonTo(lesson, step, { runLast: !asks });
    store.getState().adopt({ ...scenario, speed: store.getState().scenario.speed }, sims, lesson.steps[step]!.caption);
    store.getState().setPlaying(!asks);
    useUi.getState().set({ lesson: { id, step, revealed: !asks }, lessonsOpen: false });
    writeLessonHash(id, step);
  }

  /** Runs the current step's commands on the live clusters (the reveal of a prediction). */
  function reveal(): void {
    const position = useUi.getState().lesson;
    const step = position === null ? undefined : findLesson(position.id)?.steps[position.step];
    if (position === null || step === undefined || position.revealed) return;
    for (const command of step.commands ?? []) store.getState().apply(command);
    store.getState().setPlaying(true);
    useUi.getState().set({ lesson: { ...position, revealed: true } });
  }

  function next(): void {
    const position = useUi.getState().lesson;
    if (position === null) return;
    if (!position.revealed) return reveal();
    const lesson = findLesson(position.id)!;
    const index = position.step + 1;
    const step = lesson.steps[index];
    if (step === undefined) return;
    if (step.scenario !== undefined) return open(lesson.id, index);
    store.setState({ caption: step.caption });
    if (hasPrediction(step)) {
      store.getState().setPlaying(false);
      useUi.getState().set({ lesson: { id: lesson.id, step: index, revealed: false } });
    } else {
      for (const command of step.commands ?? []) store.getState().apply(command);
      store.getState().setPlaying(true);
      useUi.getState().set({ lesson: { id: lesson.id, step: index, revealed: true } });
    }
    writeLessonHash(lesson.id, index);
  }

  function back(): void {
    const position = useUi.getState().lesson;
    if (position === null || position.step === 0) return;
    open(position.id, position.step - 1);
  }

  /** Leaves the lesson; the cluster keeps running as it is (free play). */
  function exit(): void {
    useUi.getState().set({ lesson: null });
    store.getState().setPlaying(true);
    writeLessonHash(null, 0);
  }

  return { open, next, back, reveal, exit };
}

export type LessonRunner = ReturnType<typeof createLessonRunner>;
