import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IncidentModule } from '../incident/incident.module';
import { BoardController } from './board.controller';
import { BoardQueries } from './board.queries';
import { BoardSession, BoardSessionGuard } from './board-session';
import { BoardSessionWatch } from './session-watch';

/** The commanders' live incident board (/board): page, cookie sign-in, server-sent events. */
@Module({
  imports: [AuthModule, IncidentModule],
  controllers: [BoardController],
  providers: [BoardQueries, BoardSession, BoardSessionGuard, BoardSessionWatch],
})
export class BoardModule {}
