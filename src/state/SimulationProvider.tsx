/** Hands the page's simulation store to components; `useSim` selects the least they need. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { SimulationActions, SimulationState, SimulationStore } from './simulationStore';

const SimulationContext = createContext<SimulationStore | null>(null);

export function SimulationProvider({ store, children }: { store: SimulationStore; children: ReactNode }) {
  return <SimulationContext.Provider value={store}>{children}</SimulationContext.Provider>;
}

export function useSimulationStore(): SimulationStore {
  const store = useContext(SimulationContext);
  if (store === null) throw new Error('useSimulationStore needs a <SimulationProvider> above it');
  return store;
}

/**
 * @example
 * const playing = useSim((s) => s.playing);
 * const ids = useSim(useShallow((s) => s.clusters[0]?.snapshot.nodes.map((n) => n.id) ?? []));
 */
export function useSim<T>(selector: (state: SimulationState & SimulationActions) => T): T {
  return useStore(useSimulationStore(), selector);
}
