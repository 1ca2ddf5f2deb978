import { spawn } from 'node:child_process';

export interface PdfText {
  pages: number;
  /** Text of each page, in order. */
  pageTexts: string[];
  text: string;
}

// pdf.js (through pdf-parse) loads its worker with a dynamic import, which Jest's CommonJS
// runtime refuses; a plain Node child parses the PDF instead.
const SCRIPT = `
import { PDFParse } from 'pdf-parse';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
const result = await parser.getText({ pageJoiner: '' });
await parser.destroy();
process.stdout.write(JSON.stringify({ pages: result.total, pageTexts: result.pages.map((p) => p.text), text: result.text }));
`;

/** Parses a PDF back with a pure-JS parser (pdf.js): page count and extracted text. */
export function pdfText(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: __dirname,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`pdf parse failed (${code}): ${Buffer.concat(err).toString()}`));
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as PdfText);
    });
    child.stdin.end(pdf);
  });
}

/** The same text with every run of white space (line wraps included) as one space. */
export function flat(pdf: PdfText): PdfText {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  return { pages: pdf.pages, pageTexts: pdf.pageTexts.map(squash), text: squash(pdf.text) };
}
