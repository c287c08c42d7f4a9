/**
 * The browser's "You" cookies (`sid`, and the balancer's sticky `lb`) follow the engine's You.
 *
 * The engine is the one place that knows what You hold: it follows your requests and their answers,
 * and replays them on a rewind or a what-if. The browser keeps its own copy (mocked `Set-Cookie`
 * lands in `document.cookie`), so after the clusters change — a new run, a rewind to before your
 * login, a what-if — the copy is brought back in line, and the next request carries what the
 * stage and the You panel say You hold. A cookie edited by hand (a student forging a session in
 * the developer tools) is left alone until the engine's You changes.
 */
const SAME_AS_ENGINE = 'Path=/; SameSite=Lax';

export interface YouCookies {
  sid: string | null;
  lb: string | null;
}

function write(name: string, value: string | null): void {
  document.cookie = value === null ? `${name}=; Max-Age=0; Path=/` : `${name}=${value}; ${SAME_AS_ENGINE}`;
}

/**
 * @example
 * const cookies = createCookieFollower();
 * cookies.follow({ sid: 'abc', lb: 'server-2' });   // writes both
 * cookies.follow({ sid: 'abc', lb: 'server-2' });   // nothing changed: writes nothing
 */
export function createCookieFollower(setCookie: (name: string, value: string | null) => void = write) {
  let written: YouCookies | null = null;
  return {
    follow(held: YouCookies): void {
      if (typeof document === 'undefined' && setCookie === write) return;
      if (written?.sid !== held.sid) setCookie('sid', held.sid);
      if (written?.lb !== held.lb) setCookie('lb', held.lb);
      written = { ...held };
    },
  };
}
