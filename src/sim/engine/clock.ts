import type { World } from './network';

/** A timer that can be cancelled or restarted (setTimeout / timer.refresh()). */
export interface SimTimer {
  cancel(): void;
}

/**
 * The event loop's clock for the programs: timers, the next turn, and the packet whose arrival is being
 * handled (`cause`), so the timeline can tie a console line to the packet that caused it.
 */
export class Clock {
  /** Packet id whose arrival the programs are reacting to, if any. */
  cause: number | undefined = undefined;

  constructor(readonly world: World) {}

  get now(): number {
    return this.world.now;
  }

  /** setTimeout: `fn` runs `delayNs` from now, with no packet as its cause. */
  timer(delayNs: number, fn: () => void): SimTimer {
    let live = true;
    this.world.schedule(this.world.now + delayNs, () => {
      if (!live) return;
      live = false;
      this.cause = undefined;
      fn();
    });
    return {
      cancel: () => {
        live = false;
      },
    };
  }

  /** process.nextTick / a resolved promise: later in this instant, keeping the current cause. */
  nextTurn(fn: () => void): void {
    const cause = this.cause;
    this.world.nextTurn(() => {
      this.cause = cause;
      fn();
    });
  }
}
