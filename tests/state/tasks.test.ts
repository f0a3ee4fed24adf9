import { afterNextPaint, NO_FRAME_MS, postTask, whenIdle } from '../../src/state/tasks';

describe('tasks: when put-off work runs', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('postTask runs the task in a later task, not now; cancelled, never', async () => {
    const ran: string[] = [];
    postTask(() => ran.push('a'));
    const cancel = postTask(() => ran.push('b'));
    cancel();
    const done = new Promise<void>((resolve) => postTask(resolve));
    expect(ran).toEqual([]);
    await done; // message tasks run in order: "a" and the cancelled "b" were before this one
    expect(ran).toEqual(['a']);
  });

  it('afterNextPaint: after the frame (requestAnimationFrame), in a task of its own', async () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    const ran: string[] = [];
    afterNextPaint(() => ran.push('painted'));
    expect(frames).toHaveLength(1);
    frames[0]!(); // the frame's rAF callbacks run; its paint follows, then the posted task
    expect(ran).toEqual([]);
    await new Promise<void>((resolve) => postTask(resolve));
    expect(ran).toEqual(['painted']);
  });

  it('afterNextPaint without frames runs NO_FRAME_MS later, once; cancelled, never', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 1); // a background tab: the frame never comes
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    const ran: string[] = [];
    afterNextPaint(() => ran.push('a'));
    const cancel = afterNextPaint(() => ran.push('b'));
    cancel();
    vi.advanceTimersByTime(NO_FRAME_MS - 1);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(10 * NO_FRAME_MS);
    expect(ran).toEqual(['a']);
  });

  it('whenIdle uses requestIdleCallback with its timeout, and a timer where there is none', () => {
    const asked: number[] = [];
    vi.stubGlobal('requestIdleCallback', (cb: () => void, opts: { timeout: number }) => {
      asked.push(opts.timeout);
      cb();
      return 7;
    });
    const cancelled: number[] = [];
    vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id));
    const ran: string[] = [];
    whenIdle(() => ran.push('idle'), 2000)();
    expect([ran, asked, cancelled]).toEqual([['idle'], [2000], [7]]);
    vi.unstubAllGlobals();
    vi.stubGlobal('requestIdleCallback', undefined);
    vi.useFakeTimers();
    whenIdle(() => ran.push('late'), 5000);
    vi.advanceTimersByTime(200);
    expect(ran).toEqual(['idle', 'late']);
  });
});
