/** 'server-2' → 'Server 2', the name the stage and the buttons use. */
export function nodeLabel(node: string | null): string {
  if (node === null) return 'the balancer';
  if (node === 'store') return 'the session store';
  return node.replace(/^server-/, 'Server ');
}
