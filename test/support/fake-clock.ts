import { Clock } from '../../src/common/clock';

/** A clock the test moves by hand: deadlines are driven in milliseconds, nothing sleeps. */
export class FakeClock extends Clock {
  private current: Date;

  constructor(start: string | Date = '2026-03-02T09:00:00Z') {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}
