import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AssetsController } from './assets.controller';
import { PageRenderer } from './page-renderer';
import { SameOriginGuard } from './same-origin.guard';

/**
 * What every server-rendered page shares: the renderer (layout, partials, helpers in every language), /assets,
 * and the refusal of cross-site posts to any page route (SameOriginGuard).
 */
@Global()
@Module({
  controllers: [AssetsController],
  providers: [PageRenderer, { provide: APP_GUARD, useClass: SameOriginGuard }],
  exports: [PageRenderer],
})
export class PagesModule {}
