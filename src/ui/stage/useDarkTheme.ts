import { useSyncExternalStore } from 'react';

const QUERY = '(prefers-color-scheme: dark)';

/** One query list for the page: every user mark reads it on each render, so it must be cheap. */
let list: MediaQueryList | null | undefined;
function mediaList(): MediaQueryList | null {
  if (list === undefined)
    list = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null;
  return list;
}

function subscribe(onChange: () => void): () => void {
  const list = mediaList();
  if (list === null) return () => {};
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

/** Whether the dark theme is in use (the user colours differ slightly between themes). */
export function isDarkTheme(): boolean {
  return mediaList()?.matches ?? false;
}

export function useDarkTheme(): boolean {
  return useSyncExternalStore(subscribe, isDarkTheme, () => false);
}
