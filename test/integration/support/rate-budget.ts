// What a token bucket (rate R per second, burst B) promises about the requests it lets through: in every
// window of any length W, at most B + R × W of them. These measure how close a series of request instants
// came to that promise, so a test can check it against what the cloud actually saw.

/** The busiest window of a fixed length: how many instants fell in [startsAt, startsAt + windowMs). */
export interface WindowPeak {
  count: number;
  startsAt: number;
}

/** The most instants (ms) within any half-open window of `windowMs`, and where that window starts. */
export function busiestWindow(times: readonly number[], windowMs = 1_000): WindowPeak {
  const sorted = [...times].sort((a, b) => a - b);
  let best: WindowPeak = { count: 0, startsAt: sorted[0] ?? 0 };
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const from = sorted[start] ?? 0;
    while (end < sorted.length && (sorted[end] ?? 0) < from + windowMs) end++;
    if (end - start > best.count) best = { count: end - start, startsAt: from };
  }
  return best;
}

/** The window, over every length at once, where requests most exceeded the rate alone. */
export interface BurstPeak {
  /** max over windows [from, to] of count − rate × (to − from): a token bucket keeps it ≤ burst. */
  excess: number;
  count: number;
  from: number;
  to: number;
}

/**
 * The largest burst the instants (ms) imply at `ratePerSecond`: over every window [tᵢ, tⱼ] (closed, so it
 * counts both ends), the requests in it minus the rate times its length. Linear: with the instants sorted,
 * count − rate × length = (j − rate·tⱼ) − (i − rate·tᵢ) + 1, so keep the smallest (i − rate·tᵢ) seen so far.
 */
export function largestBurst(times: readonly number[], ratePerSecond: number): BurstPeak {
  if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
  const sorted = [...times].sort((a, b) => a - b);
  const perMs = ratePerSecond / 1_000;
  let best: BurstPeak = { excess: 0, count: 0, from: sorted[0] ?? 0, to: sorted[0] ?? 0 };
  let lowest = Number.POSITIVE_INFINITY;
  let lowestAt = 0;
  for (let j = 0; j < sorted.length; j++) {
    const t = sorted[j] ?? 0;
    const here = j - perMs * t;
    if (here < lowest) {
      lowest = here;
      lowestAt = j;
    }
    const excess = here - lowest + 1;
    if (excess > best.excess) best = { excess, count: j - lowestAt + 1, from: sorted[lowestAt] ?? 0, to: t };
  }
  return best;
}
