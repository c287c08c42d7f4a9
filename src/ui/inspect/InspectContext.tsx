/** Hands the side panels their UI store and the API client (tests pass one backed by msw/node). */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { browserApiClient, type ApiClient } from '../../api/client';
import type { InspectState, InspectStore } from './inspectStore';

interface InspectContextValue {
  store: InspectStore;
  api: ApiClient;
}

const InspectContext = createContext<InspectContextValue | null>(null);

export function InspectProvider({
  store,
  api = browserApiClient,
  children,
}: {
  store: InspectStore;
  api?: ApiClient;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ store, api }), [store, api]);
  return <InspectContext.Provider value={value}>{children}</InspectContext.Provider>;
}

export function useInspectContext(): InspectContextValue {
  const value = useContext(InspectContext);
  if (value === null) throw new Error('side panels need an <InspectProvider> above them');
  return value;
}

export function useInspect<T>(selector: (state: InspectState) => T): T {
  return useStore(useInspectContext().store, selector);
}
