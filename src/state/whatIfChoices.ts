/** The what-if questions worth asking from a scenario, each one change of setting. */
import type { Scenario } from './scenario';

export interface WhatIfChoice {
  label: string;
  change: Partial<Scenario>;
}

export function whatIfChoices(scenario: Scenario): WhatIfChoice[] {
  if (scenario.mode === 'compare') return [];
  const choices: WhatIfChoice[] = [];
  if (scenario.mode === 'stateful') {
    choices.push({ label: '…it were stateless (JWT)?', change: { mode: 'stateless' } });
    choices.push(
      scenario.store === 'memory'
        ? { label: '…sessions were in a shared store?', change: { store: 'shared' } }
        : { label: '…sessions were in node memory?', change: { store: 'memory' } },
    );
  } else {
    choices.push({ label: '…it used server sessions?', change: { mode: 'stateful' } });
  }
  choices.push({
    label: scenario.sticky ? '…the balancer were not sticky?' : '…the balancer were sticky?',
    change: { sticky: !scenario.sticky },
  });
  return choices;
}

/** A stable key for a change, to find its precomputed run. */
export function changeKey(change: Partial<Scenario>): string {
  return JSON.stringify(Object.entries(change).sort(([a], [b]) => a.localeCompare(b)));
}
