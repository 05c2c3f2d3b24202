/** Round-numbered y scales for the charts. Pure. */

const TARGET_TICKS = 5;

export interface Scale {
  max: number;
  ticks: number;
}

/** A y scale whose gridlines fall on round numbers (1, 2 or 5 × 10ⁿ apart), about five of them (whole steps once the data reaches 1). */
export function niceScale(value: number): Scale {
  if (!(value > 0)) return { max: 1, ticks: 1 };
  const rough = value / TARGET_TICKS;
  const p = 10 ** Math.floor(Math.log10(rough));
  const round = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= rough) ?? 10 * p;
  // Counts of one or more step by whole numbers.
  const step = value >= 1 ? Math.max(1, round) : round;
  const ticks = Math.max(1, Math.ceil(value / step - 1e-9));
  return { max: ticks * step, ticks };
}
