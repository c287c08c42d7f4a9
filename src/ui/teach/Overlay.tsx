/** A modal panel over the stage: labelled, focus moves in on open, Escape (global) closes it. */
import { useEffect, useRef, type ReactNode } from 'react';

export function Overlay({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="teach-backdrop" onClick={onClose}>
      <div
        className="teach-overlay"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        ref={panel}
        onClick={(event) => event.stopPropagation()}
      >
        <header>
          <h2>{title}</h2>
          <button type="button" className="teach-close" onClick={onClose} aria-label={`Close ${title.toLowerCase()}`}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
