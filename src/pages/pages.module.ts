import { Global, Module } from '@nestjs/common';
import { AssetsController } from './assets.controller';
import { PageRenderer } from './page-renderer';

/** What every server-rendered page shares: the renderer (layout, partials, fr/en helpers) and /assets. */
@Global()
@Module({
  controllers: [AssetsController],
  providers: [PageRenderer],
  exports: [PageRenderer],
})
export class PagesModule {}
