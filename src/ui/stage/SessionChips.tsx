/**
 * The sessions a node holds, one chip per user in that user's colour and shape. When the node
 * crashes the chips break apart and fly off; a session that simply ends (log out) just fades.
 * The chips fill their box in rows; what does not fit becomes "+N" rather than a chip cut in half.
 */
import { memo, useEffect, useRef, useState, type RefObject } from 'react';
import { AnimatePresence, motion, useReducedMotion } from 'framer-motion';
import { clientName } from '../../engine';
import { clientIndex } from './userStyle';
import { UserMark } from './UserMark';

/** Beyond this many chips a node shows a number instead: chips would be too small to count. */
const MAX_CHIPS = 40;

function scatter(clientId: string): { x: number; y: number; rotate: number } {
  // Deterministic per user, so the burst looks the same on every run of a scenario.
  let hash = 0;
  for (const ch of clientId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  const angle = ((hash >>> 0) % 360) * (Math.PI / 180);
  return { x: Math.cos(angle) * 90, y: Math.sin(angle) * 70, rotate: (hash % 2 === 0 ? 1 : -1) * 200 };
}

function nameOf(clientId: string): string {
  const index = clientIndex(clientId);
  return index < 0 ? 'You' : clientName(index);
}

/**
 * How many chip slots the box holds (columns × rows), measured on resize; null until measured (and
 * where nothing can be measured, as in jsdom): then up to MAX_CHIPS show.
 */
function useChipSlots(): [RefObject<HTMLSpanElement | null>, number | null] {
  const ref = useRef<HTMLSpanElement>(null);
  const [slots, setSlots] = useState<number | null>(null);
  useEffect(() => {
    const box = ref.current;
    if (box === null || typeof ResizeObserver !== 'function') return;
    const measure = (): void => {
      const style = getComputedStyle(box);
      // A chip is 1em square: the box's font size is the chip size (styles.css .session-chips).
      const chip = parseFloat(style.fontSize);
      if (!(chip > 0)) return;
      const gapX = parseFloat(style.columnGap) || 0;
      const gapY = parseFloat(style.rowGap) || 0;
      const columns = Math.floor((box.clientWidth + gapX + 0.5) / (chip + gapX));
      const rows = Math.floor((box.clientHeight + gapY + 0.5) / (chip + gapY));
      setSlots(Math.max(0, columns) * Math.max(0, rows));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  return [ref, slots];
}

/** Places the "+N" label takes: two, three once N has three digits (a big hall's node holds 125). */
export function moreSlots(more: number): number {
  return more >= 100 ? 3 : 2;
}

/** Chips to draw for `total` sessions in `slots` places: "+N" takes two or three places when not all fit. */
export function chipsShown(total: number, slots: number | null): number {
  const most = Math.min(total, MAX_CHIPS);
  if (slots === null) return most;
  if (total <= slots) return most;
  const shown = Math.min(most, Math.max(0, slots - 2));
  return moreSlots(total - shown) === 2 ? shown : Math.min(most, Math.max(0, slots - 3));
}

export const SessionChips = memo(
  function SessionChips({ clientIds, crashed }: { clientIds: readonly string[]; crashed: boolean }) {
    const reducedMotion = useReducedMotion() ?? false;
    const [ref, slots] = useChipSlots();
    const shown = chipsShown(clientIds.length, slots);
    return (
      <span
        className="session-chips"
        role="list"
        ref={ref}
        aria-label={`${clientIds.length} session${clientIds.length === 1 ? '' : 's'}`}
      >
        <AnimatePresence custom={crashed}>
          {clientIds.slice(0, shown).map((id) => (
            <motion.span
              role="listitem"
              key={id}
              className="session-chip"
              custom={crashed}
              initial={reducedMotion ? { opacity: 0 } : { opacity: 0, scale: 0.3 }}
              animate={{ opacity: 1, scale: 1, x: 0, y: 0, rotate: 0 }}
              variants={{
                gone: (wasCrash: boolean) =>
                  wasCrash && !reducedMotion
                    ? { opacity: 0, scale: 0.4, ...scatter(id), transition: { duration: 0.9, ease: 'easeOut' } }
                    : { opacity: 0, transition: { duration: reducedMotion ? 0.6 : 0.3 } },
              }}
              exit="gone"
              transition={{ duration: 0.25 }}
              title={nameOf(id)}
            >
              <UserMark clientId={id} name={nameOf(id)} />
            </motion.span>
          ))}
        </AnimatePresence>
        {clientIds.length > shown && (slots === null || slots >= moreSlots(clientIds.length - shown)) && (
          <span className="session-more" role="listitem">
            +{clientIds.length - shown}
          </span>
        )}
      </span>
    );
  },
  (before, after) => before.crashed === after.crashed && sameIds(before.clientIds, after.clientIds),
);

/** A node's snapshot is rebuilt whenever its load changes; its session list rarely does. */
function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
