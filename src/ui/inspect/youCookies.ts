/**
 * A rebuilt cluster has no sessions: cookies from an earlier run (or an earlier page load) would
 * only produce a confusing 401, so "You" start clean with each new cluster.
 */
const YOU_COOKIES = ['sid', 'lb'];

export function clearYouCookies(): void {
  if (typeof document === 'undefined') return;
  for (const name of YOU_COOKIES) document.cookie = `${name}=; Max-Age=0; Path=/`;
}
