/** Lessons, projector mode, copy link and help: the teacher's own controls (full screen is F, and in the help). */
import { useState } from 'react';
import { useUi } from '../../state/uiStore';

/** `receiptSlot`: where the loss receipt puts its "Loss receipt" button while the receipt is closed. */
export function TeachButtons({ receiptSlot }: { receiptSlot?: (slot: HTMLElement | null) => void }) {
  const projector = useUi((s) => s.projector);
  const set = useUi((s) => s.set);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyLink = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    window.setTimeout(() => setCopied('idle'), 2_000);
  };
  return (
    <nav className="teach-buttons" aria-label="Teaching">
      <span className="receipt-slot" ref={receiptSlot} />
      <button type="button" onClick={() => set({ lessonsOpen: true })} aria-keyshortcuts="L">
        Lessons
      </button>
      <button
        type="button"
        aria-pressed={projector}
        onClick={() => set({ projector: !projector })}
        aria-keyshortcuts="P"
      >
        Projector
      </button>
      <button type="button" className="teach-copy" onClick={() => void copyLink()}>
        {copied === 'copied' ? 'Link copied' : copied === 'failed' ? 'Copy failed — use the address bar' : 'Copy link'}
      </button>
      <button
        type="button"
        onClick={() => set({ helpOpen: true })}
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="?"
      >
        ?
      </button>
    </nav>
  );
}
