import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project's `templates/` folder, found upward from here (works from src/ under Jest and from dist/). */
export function templatesDir(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'email', 'layout.html.hbs'))) return join(dir, 'templates');
    if (dirname(dir) === dir) throw new Error(`templates/ not found above ${start}`);
  }
}
