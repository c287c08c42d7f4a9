/** Types of scripts/soak.mjs, for test/e2e/soak.spec.ts. */
import type { Page } from '@playwright/test';

export interface SoakFigures {
  minutes: number;
  windowSeconds: number;
  clients: number;
  speed: number;
  heapStartMB: number;
  heapEndMB: number;
  heapGrowthMB: number;
  p95FirstMs: number;
  p95LastMs: number;
  framesFirst: number;
  framesLast: number;
  toggles: number;
  whatIfs: number;
  rewinds: number;
  errors: string[];
}

export const AIMS: { heapGrowthMB: number; p95Tolerance: number };

export function runSoak(
  page: Page,
  options: {
    baseURL: string;
    minutes?: number;
    clients?: number;
    speed?: number;
    /** Prefix of sampling heap profiles at the heap's start and end. */
    heapProfile?: string | null;
    /** Prefix of full heap snapshots (.heapsnapshot) at the heap's start and end. */
    heapSnapshot?: string | null;
    /** false: only the node toggles, no what-if and no rewind. */
    whatIf?: boolean;
    log?: (line: string) => void;
  },
): Promise<{ figures: SoakFigures; missed: string[] }>;
