import { useEffect, useState, type RefObject } from 'react';

/** Columns and cell size (px) that fit `count` square cells in the element; updates on resize only. */
export function useGridFit(
  ref: RefObject<HTMLElement | null>,
  count: number,
  enabled: boolean,
): { columns: number; cellPx: number } | null {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!enabled || element === null || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry !== undefined) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, enabled]);
  if (!enabled || size === null || count === 0) return null;
  return bestGrid(count, size.width, size.height);
}

export function bestGrid(count: number, width: number, height: number): { columns: number; cellPx: number } {
  let best = { columns: 1, cellPx: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const cellPx = Math.min(width / columns, height / Math.ceil(count / columns));
    if (cellPx > best.cellPx) best = { columns, cellPx };
  }
  return best;
}
