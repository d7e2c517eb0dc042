import { describe, expect, it } from '@jest/globals';
import { DeferredSettle, SETTLE_MAX_QUIET_MS, SETTLE_QUIET_MS } from '../../src/projections/deferred-settle.js';

// When the deferred settle runs and when it stops: the slices stand in for the analysis
// projection's transactions (each settles some of the marked firms).

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A settle with `work` slices to do; `during(n)` runs inside the n-th slice (1-based). */
function settleOf(work: number, during: (n: number, settle: DeferredSettle) => void = () => undefined) {
  let done = 0;
  const settle: DeferredSettle = new DeferredSettle(async () => {
    done++;
    during(done, settle);
    return { done: done >= work, spentMs: 0.1 };
  });
  return { settle, slices: () => done };
}

describe('deferred settle', () => {
  it('runs once logging has been quiet for a moment, and then settles everything', async () => {
    const { settle, slices } = settleOf(5);
    settle.soon();
    await sleep(SETTLE_QUIET_MS / 2);
    expect(slices()).toBe(0);
    await sleep(SETTLE_QUIET_MS);
    await settle.idle();
    expect(slices()).toBe(5);
  });

  it('stops after the slice in which logging resumed, and goes on after the next quiet moment', async () => {
    // A command logged during the third slice (it calls soon(), as the runner does).
    const { settle, slices } = settleOf(10, (n, s) => n === 3 && s.soon());
    settle.soon();
    await sleep(SETTLE_QUIET_MS + 50);
    await settle.idle();
    expect(slices()).toBe(3);

    await sleep(SETTLE_QUIET_MS + 50);
    await settle.idle();
    expect(slices()).toBe(10);
  });

  it('a command queued while the run yields between slices stops it before the next slice', async () => {
    // During the second slice a request is read; its command queues in the same round of the
    // event loop, after the slice has ended and the run has yielded.
    const { settle, slices } = settleOf(10, (n, s) => n === 2 && setImmediate(() => s.loggingResumed()));
    settle.soon();
    await sleep(SETTLE_QUIET_MS + 50);
    await settle.idle();
    expect(slices()).toBe(2);
    settle.cancel();
  });

  it('after a run cut short by logging, the next one waits for the longest quiet moment; after one that finished, the usual', async () => {
    const { settle, slices } = settleOf(10, (n, s) => n === 3 && s.soon());
    settle.soon();
    await sleep(SETTLE_QUIET_MS + 50);
    await settle.idle();
    expect(slices()).toBe(3);
    settle.cancel(); // the soon() of the third slice: logging goes on instead

    settle.soon(); // the next burst's last command
    await sleep(SETTLE_MAX_QUIET_MS - 100);
    expect(slices()).toBe(3);
    await sleep(200);
    await settle.idle();
    expect(slices()).toBe(10);

    // That run finished: the next command's settle comes after the usual moment again.
    settle.soon();
    await sleep(SETTLE_QUIET_MS + 50);
    await settle.idle();
    expect(slices()).toBe(11);
  });

  it('a settle asked for directly (inSlices) goes on to the end whatever is logged meanwhile', async () => {
    const { settle, slices } = settleOf(10, (n, s) => n % 2 === 0 && s.soon());
    await settle.inSlices();
    expect(slices()).toBe(10);
    settle.cancel();
  });
});
