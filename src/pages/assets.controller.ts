import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Public } from '../auth/auth.decorators';
import { templatesDir } from '../delivery/templates/templates-dir';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The pages' static files (`templates/pages/assets/`: CSS, the board's small script), read once
 * at start-up and served by name only — no path from the request ever reaches the file system.
 */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  private readonly files = new Map<string, { type: string; body: Buffer }>();

  constructor() {
    const dir = join(templatesDir(), 'pages', 'assets');
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type) this.files.set(name, { type, body: readFileSync(join(dir, name)) });
    }
  }

  @Get(':name')
  @Public()
  @SkipThrottle()
  asset(@Param('name') name: string, @Res() reply: FastifyReply) {
    const file = this.files.get(name);
    if (!file) throw new NotFoundException({ code: 'not_found', message: 'No such asset' });
    return reply.type(file.type).header('cache-control', 'public, max-age=300').send(file.body);
  }
}
