import { Global, Module } from '@nestjs/common';
import { ChangeListener } from './change-listener';

/**
 * Live views (README, "Running in production"): writers call `notifyChange()` inside their
 * transaction; `ChangeListener` turns the notifications of every process into an rxjs stream.
 */
@Global()
@Module({
  providers: [ChangeListener],
  exports: [ChangeListener],
})
export class LiveModule {}
