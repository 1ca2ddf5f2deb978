import { Module } from '@nestjs/common';
import { DeliveryLedger } from './delivery-ledger';
import { DeliveryRunner } from './delivery-runner';
import { DeliveryWorker } from './delivery-worker';
import { RelayRateLimiter } from './relay-rate-limiter';
import { MailRenderer } from './templates/mail-renderer';

/** Every outgoing mail: templates, the ledger, the worker, SMTP and the mail catcher. */
@Module({
  providers: [MailRenderer, DeliveryLedger, DeliveryWorker, RelayRateLimiter, DeliveryRunner],
  exports: [MailRenderer, DeliveryLedger, DeliveryWorker],
})
export class DeliveryModule {}
