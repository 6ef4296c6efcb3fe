import { Reconciler } from './reconciler';

describe('Reconciler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('plans once at start, once per burst of changes, and on every tick', () => {
    const pass = jest.fn();
    const reconciler = new Reconciler(pass, 1_000, () => undefined);
    reconciler.request();
    jest.runOnlyPendingTimers();
    expect(pass).toHaveBeenCalledTimes(0); // not started: no plan on an unbuilt view

    reconciler.start();
    for (let i = 0; i < 10; i++) reconciler.request();
    jest.advanceTimersByTime(1);
    expect(pass).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(3_000);
    expect(pass).toHaveBeenCalledTimes(4);
    reconciler.stop();
    reconciler.request();
    jest.advanceTimersByTime(5_000);
    expect(pass).toHaveBeenCalledTimes(4);
  });

  it('keeps passes minGapMs apart, planning the changes of the gap together', () => {
    const pass = jest.fn();
    const reconciler = new Reconciler(pass, 10_000, () => undefined, 50);
    reconciler.start();
    jest.advanceTimersByTime(1);
    expect(pass).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      reconciler.request();
      jest.advanceTimersByTime(4);
    }
    expect(pass).toHaveBeenCalledTimes(1); // 41 ms after the first pass
    jest.advanceTimersByTime(10);
    expect(pass).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(200);
    expect(pass).toHaveBeenCalledTimes(2); // nothing changed since
    reconciler.request();
    jest.advanceTimersByTime(1);
    expect(pass).toHaveBeenCalledTimes(3); // long after the last pass: at once
    reconciler.stop();
  });

  it('reports a failing pass and keeps going', () => {
    const errors: unknown[] = [];
    const pass = jest.fn(() => {
      throw new Error('boom');
    });
    const reconciler = new Reconciler(pass, 1_000, (err) => errors.push(err));
    reconciler.start();
    jest.advanceTimersByTime(1_001);
    expect(pass).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(2);
    reconciler.stop();
  });
});
