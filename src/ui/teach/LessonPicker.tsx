import './lessonPicker.css';
import { LESSONS } from '../../lessons/lessons';
import type { LessonRunner } from '../../lessons/runner';
import { useUi } from '../../state/uiStore';
import { Overlay } from './Overlay';

export function LessonPicker({ lessons }: { lessons: LessonRunner }) {
  const open = useUi((s) => s.lessonsOpen);
  const set = useUi((s) => s.set);
  if (!open) return null;
  return (
    <Overlay title="Guided lessons" onClose={() => set({ lessonsOpen: false })}>
      <ol className="teach-lessons lesson-picker">
        {LESSONS.map((lesson) => (
          <li key={lesson.id}>
            <button type="button" onClick={() => lessons.open(lesson.id, 0)}>
              <strong>{lesson.title}</strong>
              <span>{lesson.summary}</span>
            </button>
          </li>
        ))}
      </ol>
    </Overlay>
  );
}
