/** The clusters a page can show: one, or both side by side in Compare mode. */
export type ClusterKey = 'stateless' | 'stateful';

export const CLUSTER_LABEL: Record<ClusterKey, string> = {
  stateless: 'Stateless (JWT)',
  stateful: 'Stateful (sessions)',
};
