import { Global, Module } from '@nestjs/common';
import { SignedLinks } from './signed-links';

/** Customers' signed links, used by every module that mails a customer or serves the portal. */
@Global()
@Module({ providers: [SignedLinks], exports: [SignedLinks] })
export class LinksModule {}
