/**
 * What a node card says while the balancer counts a dead node's failures (issue 10, the blind
 * window): HAProxy counts failed health checks; nginx and Envoy probe nothing and count the
 * requests that failed on it.
 */
import type { BalancerPreset } from '../../engine';

export function failedChecksText(preset: BalancerPreset, failed: number, fall: number): string {
  switch (preset) {
    case 'haproxy':
      return `checks failed ${failed}/${fall}`;
    case 'nginx':
      return `failed requests ${failed}/${fall}`;
    case 'envoy':
      return `errors in a row ${failed}/${fall}`;
  }
}
