/**
 * Walks a guided lesson on the page's live clusters.
 * - Opening a lesson at a step (a link, Back) replays the lesson to that step: deterministic, so a
 *   shared link shows the same cluster.
 * - Next continues live: the step's commands act on the clusters the room has been watching; a step
 *   that changes the scenario starts afresh. A step with a prediction pauses first and asks.
 */
import { findLesson } from './lessons';
import { playLessonTo } from './replay';
import type { LessonStep } from './types';
import { useUi } from '../state/uiStore';
import type { SimulationStore } from '../state/simulationStore';

export const LESSON_HASH_KEYS = { lesson: 'lesson', step: 'step' } as const;

/** Writes `lesson=…&step=N` into the hash (N counts from 1), or removes both keys for `null`. */
export function writeLessonHash(id: string | null, step: number): void {
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

/** At most this many characters of a lesson name typed into a link are repeated in a notice. */
const NOTICE_NAME_CHARS = 40;

function quote(raw: string): string {
  const chars = Array.from(raw);
  return chars.length > NOTICE_NAME_CHARS ? `${chars.slice(0, NOTICE_NAME_CHARS).join('')}…` : raw;
}

export interface LessonLink {
  /** The lesson to open, its step counting from 0; null when the link names no (real) lesson. */
  lesson: { id: string; step: number } | null;
  /** What was wrong with the link and what the page did instead, for visible notices. */
  notices: string[];
  /** The hash's lesson keys need rewriting: an unknown lesson or a stray step to drop, a step to clamp. */
  fix: boolean;
}

/**
 * Reads `lesson=…&step=N` (N counts from 1, default 1) from a hash. Never throws.
 * - an unknown lesson: a notice, and both keys are to be dropped;
 * - a step outside the lesson: clamped to its first or last step, with a notice;
 * - a step that is not a whole number: step 1, with a notice;
 * - a step without a lesson means nothing and is dropped quietly.
 */
export function readLessonLink(hash: string): LessonLink {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const id = params.get(LESSON_HASH_KEYS.lesson);
  const rawStep = params.get(LESSON_HASH_KEYS.step);
  if (id === null) return { lesson: null, notices: [], fix: rawStep !== null };
  const lesson = findLesson(id);
  if (lesson === undefined) return { lesson: null, notices: [`There is no lesson "${quote(id)}".`], fix: true };
  const count = lesson.steps.length;
  if (rawStep === null) return { lesson: { id, step: 0 }, notices: [], fix: false };
  const typed = `"step=${quote(rawStep)}"`;
  const trimmed = rawStep.trim();
  const value = /^[+-]?\d+(e\+?\d+)?$/i.test(trimmed) ? Number(trimmed) : NaN;
  if (Number.isNaN(value)) {
    return {
      lesson: { id, step: 0 },
      notices: [`${typed} is not a step number (lesson "${id}" has steps 1 to ${count}); opening step 1.`],
      fix: true,
    };
  }
  if (value < 1)
    return {
      lesson: { id, step: 0 },
      notices: [`${typed} is before the first step of lesson "${id}"; opening step 1 of ${count}.`],
      fix: true,
    };
  if (value > count)
    return {
      lesson: { id, step: count - 1 },
      notices: [`${typed} is past the last step of lesson "${id}"; opening step ${count} of ${count}.`],
      fix: true,
    };
  return { lesson: { id, step: value - 1 }, notices: [], fix: String(value) !== rawStep };
}

/** Reads `lesson=…&step=N` (N counts from 1) from a hash; null for none or an unknown lesson. */
export function lessonFromHash(hash: string): { id: string; step: number } | null {
  return readLessonLink(hash).lesson;
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
    // Through the store, so the lesson's commands are marks on the timeline like the teacher's own:
    // rewind reaches back to the step's start and what-if replays them.
    const speed = store.getState().scenario.speed;
    playLessonTo(
      lesson,
      step,
      {
        start: (scenario, epochMs) => store.getState().startRun({ ...scenario, speed }, epochMs),
        apply: (command) => store.getState().apply(command),
        advance: (ms) => store.getState().advance(ms),
      },
      { runLast: !asks },
    );
    store.getState().publish();
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
