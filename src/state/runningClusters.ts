/**
 * The engines running right now: one Simulation per cluster on screen (Compare shows two), kept
 * outside React and outside zustand's state. The store replaces them as a whole — a new run, a
 * rewind, a what-if — and everything that reads an engine directly (the stage's packets, the
 * inspector, the event log, "You") reads it here, so nothing holds on to a cluster of an old run.
 *
 * @example
 * const running = store.running;
 * running.get('stateful')?.inspect(42);
 * const stop = running.onEvent((cluster, event) => draw(cluster, event));
 * running.onRebuild(() => forgetWhatWasDrawn());
 */
import type { SimEvent, Simulation } from '../engine';
import type { ClusterKey } from './clusterKey';

export type ClusterEventListener = (cluster: ClusterKey, event: SimEvent) => void;

export class RunningClusters implements ReadonlyMap<ClusterKey, Simulation> {
  private sims = new Map<ClusterKey, Simulation>();
  private readonly eventListeners = new Set<ClusterEventListener>();
  private readonly rebuildListeners = new Set<() => void>();
  private unsubscribes: (() => void)[] = [];

  /**
   * Puts `sims` on screen in place of the clusters running now. Their events reach `onEvent`
   * listeners (and `observe`, the store's own caption keeper) from here on; the old clusters'
   * events no longer reach anyone.
   */
  replace(sims: ReadonlyMap<ClusterKey, Simulation>, observe?: ClusterEventListener): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes = [];
    this.sims = new Map(sims);
    for (const [key, sim] of this.sims) {
      this.unsubscribes.push(
        sim.subscribe((event) => {
          observe?.(key, event);
          for (const listener of this.eventListeners) listener(key, event);
        }),
      );
    }
    for (const listener of this.rebuildListeners) listener();
  }

  /** Every engine event of every running cluster; returns the unsubscribe function. */
  onEvent(listener: ClusterEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called after the clusters were replaced (a new run, a rewind, a what-if). */
  onRebuild(listener: () => void): () => void {
    this.rebuildListeners.add(listener);
    return () => this.rebuildListeners.delete(listener);
  }

  get size(): number {
    return this.sims.size;
  }
  get(key: ClusterKey): Simulation | undefined {
    return this.sims.get(key);
  }
  has(key: ClusterKey): boolean {
    return this.sims.has(key);
  }
  keys(): MapIterator<ClusterKey> {
    return this.sims.keys();
  }
  values(): MapIterator<Simulation> {
    return this.sims.values();
  }
  entries(): MapIterator<[ClusterKey, Simulation]> {
    return this.sims.entries();
  }
  forEach(callback: (sim: Simulation, key: ClusterKey, map: ReadonlyMap<ClusterKey, Simulation>) => void): void {
    for (const [key, sim] of this.sims) callback(sim, key, this);
  }
  [Symbol.iterator](): MapIterator<[ClusterKey, Simulation]> {
    return this.sims.entries();
  }
}
