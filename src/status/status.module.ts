import { Module } from '@nestjs/common';
import { StatusController } from './status.controller';
import { StatusQueries } from './status.queries';

/** The public status page and its Atom feed (no token; no confidential incident, no customer). */
@Module({
  controllers: [StatusController],
  providers: [StatusQueries],
})
export class StatusModule {}
