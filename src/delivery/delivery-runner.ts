import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { join } from 'node:path';
import { Ticker } from '../common/ticker';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryWorker } from './delivery-worker';
import { MailCatcher } from './smtp/mail-catcher';

/**
 * Runs the worker in processes whose TOCSIN_ROLE includes it: picks the relay (SMTP_URL, or
 * the built-in mail catcher on the embedded default) and ticks. On shutdown, stops claiming and
 * lets the batch in flight finish and be recorded (its rows would otherwise wait for their lease
 * to expire, and its accepted mails be sent again). That happens before any
 * onApplicationShutdown hook, so the database pool is still open while it does.
 */
@Injectable()
export class DeliveryRunner
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(DeliveryRunner.name);
  private catcher?: MailCatcher;
  private ticker?: Ticker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly worker: DeliveryWorker,
    private readonly registry: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    let relay = this.config.mail.smtpUrl;
    if (!relay) {
      this.catcher = new MailCatcher(join(this.config.dataDir, 'mail'), this.config.mail.catcherPort);
      await this.catcher.start();
      relay = this.catcher.url;
      this.logger.log(`mail catcher on ${relay}, storing .eml files in ${this.catcher.dir}`);
    }
    this.worker.useRelay(relay);
    this.ticker = new Ticker(this.registry, 'deliveries', this.config.tickIntervalMs, () =>
      this.worker.drain(20),
    ).start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.ticker) return;
    this.worker.stop();
    const started = Date.now();
    await this.ticker.stop();
    this.logger.log(`deliveries in flight finished in ${Date.now() - started} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.worker.close();
    await this.catcher?.stop();
  }
}
