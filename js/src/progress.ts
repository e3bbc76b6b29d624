// A progress bar for `study.optimize` in Node terminals: pass `progress(study, { nTrials })`
// as `onTrial`. On a TTY it redraws one line; elsewhere (CI logs, files) it prints a line
// at every tenth of the budget, so logs stay short.
import { EdgetuneError, type Study, type TrialRecord } from "./study.js";

const invalid = (field: string, reason: string) => new EdgetuneError(`${field}: ${reason}`, "invalid_argument", field);

/** Where the bar is written: a Node stream (only `write` and `isTTY` are used). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** The trial budget the bar fills up to (the `nTrials` given to `optimize`). */
  nTrials: number;
  /** Default: `process.stderr`. */
  stream?: ProgressStream;
  /** Characters of the bar (default 30). */
  width?: number;
}

/**
 * An `onTrial` callback that draws the progress of `study.optimize` with the states
 * seen so far and the best value (of the first objective).
 */
export function progress(study: Study, options: ProgressOptions): (trial: TrialRecord) => void {
  const { nTrials, width = 30 } = options;
  if (!(Number.isSafeInteger(nTrials) && nTrials >= 1)) {
    throw invalid("nTrials", `must be a whole number >= 1, got ${nTrials}`);
  }
  if (!(Number.isSafeInteger(width) && width >= 1 && width <= 200)) {
    throw invalid("width", `must be a whole number from 1 to 200, got ${width}`);
  }
  const stream = options.stream ?? process.stderr;
  const maximize = study.directions[0] === "maximize";
  const counts = new Map<string, number>();
  let best: number | undefined;
  let done = 0;
  let printedTenth = -1;
  const started = Date.now();
  return (trial: TrialRecord) => {
    done++;
    counts.set(trial.state, (counts.get(trial.state) ?? 0) + 1);
    const v = trial.values?.[0] ?? trial.value;
    if (trial.state === "COMPLETE" && v !== undefined && Number.isFinite(v)) {
      if (best === undefined || (maximize ? v > best : v < best)) best = v;
    }
    const share = Math.min(1, done / nTrials);
    const filled = Math.round(share * width);
    const states = [...counts].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(", ");
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${nTrials} ` +
      `${seconds}s · ${states}` + (best === undefined ? "" : ` · best ${+best.toPrecision(6)}`);
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K${done >= nTrials ? "\n" : ""}`);
    } else {
      const tenth = Math.floor(share * 10);
      if (tenth > printedTenth) {
        printedTenth = tenth;
        stream.write(`${line}\n`);
      }
    }
  };
}
