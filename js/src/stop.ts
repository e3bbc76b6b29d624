// Why `optimize` stops starting trials: the checks the local and the remote study share.
import type { StopReason } from "./study.js";

/** What both optimizers know before they start a trial. */
export interface LoopState {
  failed: boolean;
  signal?: AbortSignal;
  nTrials?: number;
  started: number;
  deadline: number;
}

/** The reason to stop starting trials, or undefined to go on. */
export function loopStop(s: LoopState): StopReason | undefined {
  if (s.failed) return "error";
  if (s.signal?.aborted) return "aborted";
  if (s.nTrials !== undefined && s.started >= s.nTrials) return "n_trials";
  if (Date.now() >= s.deadline) return "timeout";
  return undefined;
}

/** The longest fail reason a study keeps, in UTF-8 bytes (the core's `MAX_FAIL_REASON`). */
const MAX_FAIL_REASON = 4096;

/** Why an objective failed, as a trial's fail reason: the error's message, cut to what a
 * study keeps (a longer reason is refused by `tell`, and `optimize` must still record
 * the failure). */
export function failReason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= MAX_FAIL_REASON) return text;
  // Cut at a character boundary: decode a prefix, dropping a broken last character.
  return new TextDecoder().decode(bytes.slice(0, MAX_FAIL_REASON - 3)).replace(/\uFFFD$/, "") + "…";
}
