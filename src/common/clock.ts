/**
 * Time as a dependency: every deadline is computed from `now()` of the injected clock,
 * so tests drive the 20/30-minute windows and severity targets without sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
