/**
 * A small headless driver so engine tests read like the lesson:
 *   const run = drive({ mode: 'stateful' }); run.for(20_000); run.fail('server-2'); run.for(10_000);
 */
import { createSimulation, type SimConfig, type SimEvent, type Simulation } from '../../src/engine';

export interface Driver {
  sim: Simulation;
  events: SimEvent[];
  for(ms: number): Driver;
  fail(node: string): Driver;
  recover(node: string): Driver;
  /** Ids of the clients whose session lives on `node` right now. */
  sessionsOn(node: string): string[];
  node(id: string): ReturnType<Simulation['snapshot']>['nodes'][number];
}

export function drive(config: Partial<SimConfig> = {}, options: { record?: boolean } = {}): Driver {
  const sim = createSimulation({ eventLogSize: 0, ...config });
  const events: SimEvent[] = [];
  if (options.record) sim.subscribe((event) => events.push(event));
  const driver: Driver = {
    sim,
    events,
    for(ms) {
      sim.advance(ms);
      return driver;
    },
    fail(node) {
      sim.apply({ type: 'failNode', node });
      return driver;
    },
    recover(node) {
      sim.apply({ type: 'recoverNode', node });
      return driver;
    },
    sessionsOn(node) {
      return [...driver.node(node).sessionClients];
    },
    node(id) {
      const found = sim.snapshot().nodes.find((n) => n.id === id);
      if (found === undefined) throw new Error(`no node ${id}`);
      return found;
    },
  };
  return driver;
}
