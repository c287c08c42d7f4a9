/**
 * What one node knows about token keys (`rotateKey`, `setVerify`): the key it signs new tokens
 * with, the keys it accepts, and whether it checks signatures at all.
 *
 * The overlap: a rotated node signs with the new key and still accepts the key it signed with until
 * then, so tokens issued before the rotation keep working until they expire. The key before that is
 * retired at the next rotation (a node holds at most two keys). Rotating no more often than once a
 * token lifetime (tokenTtlMs) therefore never refuses a live token; rotating twice within one does.
 * A node left out of a rotation keeps its keys and answers 401 to tokens signed with the new one.
 */
import { FIRST_KEY_ID, FIRST_KEY_ONLY } from './jwt';

export class NodeKeys {
  /** The key new tokens are signed with here. */
  signing = FIRST_KEY_ID;
  /**
   * The keys this node verifies with, oldest first. Replaced, never changed in place: until a
   * rotation it is the shared FIRST_KEY_ONLY, which verify() recognises without a lookup.
   */
  accepted: ReadonlySet<string> = FIRST_KEY_ONLY;
  /** false: a "lazy" node that decodes a token without checking its signature (accepts forgeries). */
  verify = true;

  /** Signs with `kid` from now on; keeps the key it signed with until now for the overlap. */
  rotate(kid: string): void {
    const previous = this.signing;
    this.accepted = new Set([previous, kid]);
    this.signing = kid;
  }

  /** Takes the cluster's current keys (a node that joins after a rotation). */
  adopt(keys: readonly string[]): void {
    this.accepted = new Set(keys);
    this.signing = keys[keys.length - 1] ?? FIRST_KEY_ID;
  }

  get ids(): string[] {
    return [...this.accepted];
  }
}
