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
