import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../config/app-config';

/**
 * A tick: `work` runs every `intervalMs` after the previous run ended (never overlapping),
 * registered with @nestjs/schedule's registry. Ticks only look up what is due in the database
 * and act on it idempotently, so a missed tick, a restart or a second instance changes nothing.
 */
export class Ticker {
  private readonly logger: Logger;
  private inFlight: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(`Ticker:${name}`);
  }

  start(): this {
    if (this.intervalMs > 0) this.schedule();
    return this;
  }

  /** Stops scheduling and waits for the run in progress, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('timeout', this.name)) this.registry.deleteTimeout(this.name);
    await this.inFlight;
  }

  private schedule(): void {
    const timer = setTimeout(() => {
      this.registry.deleteTimeout(this.name);
      this.inFlight = this.work()
        .catch((error: unknown) => this.logger.error({ err: error }, 'tick failed'))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.intervalMs);
    this.registry.addTimeout(this.name, timer);
  }
}

/**
 * A periodic pass over what is due (notice guards, escalations, action reminders): ticks on
 * `worker` and `all` instances, never on `api` ones, and stops before the pool closes
 * (onApplicationShutdown), so the pass in progress finishes its transaction.
 */
export abstract class DuePass implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private ticker?: Ticker;

  protected constructor(
    private readonly tickName: string,
    private readonly tickRegistry: SchedulerRegistry,
    private readonly tickConfig: AppConfig,
  ) {}

  /** Acts on everything due now; returns how many things it acted on. */
  abstract runDue(): Promise<number>;

  onApplicationBootstrap(): void {
    if (this.tickConfig.role === 'api') return;
    this.ticker = new Ticker(this.tickRegistry, this.tickName, this.tickConfig.tickIntervalMs, () =>
      this.runDue(),
    ).start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.ticker?.stop();
  }
}
