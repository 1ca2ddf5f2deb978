import PDFDocument from 'pdfkit';
import { dirname, join } from 'node:path';
import { pageLabel, RcaMeasureRow, RcaSection, RcaView } from './rca-view';

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package, embedded (subset) in every PDF: the PDF
 * standard fonts stop at Latin-1, so "œ", "€" or "’" would not render with them.
 */
function fontPath(file: string): string {
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', file);
}
// Fonts are selected by path, not by a registered alias: pdfkit's table cells restore the
// previous font by its source, and only a path is a cache key there (an alias re-parses the
// whole TTF for every cell).
const BODY = fontPath('DejaVuSans.ttf');
const BOLD = fontPath('DejaVuSans-Bold.ttf');

const ACCENT = '#8a1c1c';
const MUTED = '#5b6470';
const RULE = '#d5d9de';
const MARGIN = 56;

/** The report as a PDF document: title page, numbered headings, tables, "Page n of N" footers. */
export function renderRcaPdf(view: RcaView, at: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: view.language,
    displayTitle: true,
    info: {
      Title: `${view.reference} — ${view.t.documentTitle}`,
      Subject: view.title,
      Creator: 'Tocsin',
      Producer: 'Tocsin',
      CreationDate: at,
      ModDate: at,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const headings = [
    view.t.overview,
    view.t.timeline,
    ...view.sections.map((section) => section.heading),
    view.t.measuresTaken,
    view.t.measuresPlanned,
    ...(view.internal ? [view.t.analysis] : []),
  ];
  titlePage(doc, view, headings);
  doc.addPage();
  let n = 0;
  const heading = (text: string) => {
    n += 1;
    if (doc.y > doc.page.height - 160) doc.addPage();
    // A bookmark per section in the reader's outline.
    doc.outline.addItem(`${n}. ${text}`);
    doc.moveDown(0.8).font(BOLD).fontSize(15).fillColor(ACCENT).text(`${n}. ${text}`, MARGIN);
    const y = doc.y + 2;
    doc
      .moveTo(MARGIN, y)
      .lineTo(doc.page.width - MARGIN, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.moveDown(0.5).font(BODY).fontSize(10.5).fillColor('black');
  };

  heading(view.t.overview);
  factsTable(doc, view.overview);
  heading(view.t.timeline);
  table(
    doc,
    [view.t.when, view.t.event],
    view.timeline.map((m) => [m.when, m.event]),
    [0.4, 0.6],
  );
  for (const section of view.sections) {
    heading(section.heading);
    body(doc, section, view.t.none);
  }
  heading(view.t.measuresTaken);
  measures(doc, view, view.measuresTaken, [view.t.measure, view.t.doneOn]);
  heading(view.t.measuresPlanned);
  measures(doc, view, view.measuresPlanned, [view.t.measure, view.t.dueOn, view.t.status]);
  if (view.internal) {
    heading(view.t.analysis);
    for (const section of view.internalSections) {
      doc.font(BOLD).fontSize(12).text(section.heading).moveDown(0.2);
      body(doc, section, view.t.none);
    }
    if (view.cancelledMeasures.length) {
      doc.font(BOLD).fontSize(12).text(view.t.cancelledMeasures).moveDown(0.2);
      doc
        .font(BODY)
        .fontSize(10.5)
        .list(view.cancelledMeasures.map((m) => m.title));
      doc.moveDown(0.5);
    }
    doc.font(BOLD).fontSize(12).text(view.t.participants).moveDown(0.2);
    doc
      .font(BODY)
      .fontSize(10.5)
      .list(view.participants.map((p) => `${p.name} (${p.role})`));
  }

  footers(doc, view);
  doc.end();
  return done;
}

function titlePage(doc: PDFKit.PDFDocument, view: RcaView, headings: string[]): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.rect(0, 0, doc.page.width, 18).fill(ACCENT);
  doc.y = 170;
  doc.font(BOLD).fontSize(12).fillColor(ACCENT).text(view.t.documentTitle.toUpperCase(), MARGIN, doc.y, {
    width,
    characterSpacing: 1,
  });
  doc.moveDown(0.6).font(BOLD).fontSize(24).fillColor('black').text(view.title, { width });
  doc.moveDown(0.4).font(BODY).fontSize(14).fillColor(MUTED).text(view.reference, { width });
  doc.moveDown(1.5).font(BOLD).fontSize(12).fillColor('black').text(view.editionLabel, { width });
  if (view.recipient) doc.font(BODY).text(`${view.t.preparedFor} ${view.recipient}`, { width });
  if (view.confidential) doc.moveDown(0.3).font(BOLD).fillColor(ACCENT).text(view.t.confidential, { width });
  doc.moveDown(1.5).fillColor('black');
  factsTable(doc, view.meta);
  if (view.correctionNote) {
    doc.moveDown(0.5).font(BOLD).fontSize(10.5).text(view.t.correction);
    doc.font(BODY).text(view.correctionNote, { width });
  }
  doc
    .moveDown(1.5)
    .font(BOLD)
    .fontSize(12)
    .fillColor('black')
    .text(view.t.contents, MARGIN, doc.y, { width });
  doc.moveDown(0.3).font(BODY).fontSize(10.5);
  headings.forEach((text, i) => doc.text(`${i + 1}. ${text}`, MARGIN + 8, doc.y, { width: width - 8 }));
}

function body(doc: PDFKit.PDFDocument, section: RcaSection, none: string): void {
  doc.font(BODY).fontSize(10.5).fillColor('black');
  if (section.paragraphs.length === 0) doc.fillColor(MUTED).text(none).fillColor('black');
  for (const paragraph of section.paragraphs) doc.text(paragraph, MARGIN, doc.y, { paragraphGap: 6 });
  doc.moveDown(0.3);
}

function factsTable(doc: PDFKit.PDFDocument, rows: { label: string; value: string }[]): void {
  doc.font(BODY).fontSize(10.5).fillColor('black');
  doc.table({
    columnStyles: [150, '*'],
    defaultStyle: { border: 0.5, borderColor: RULE, padding: [4, 6] },
    data: rows.map((r) => [{ text: r.label, font: { src: BOLD }, backgroundColor: '#f1f3f5' }, r.value]),
  });
  doc.moveDown(0.5);
}

function table(doc: PDFKit.PDFDocument, header: string[], rows: string[][], widths: number[]): void {
  const total = doc.page.width - 2 * MARGIN;
  doc.font(BODY).fontSize(10).fillColor('black');
  doc.table({
    columnStyles: widths.map((w) => Math.floor(total * w)),
    defaultStyle: { border: 0.5, borderColor: RULE, padding: [4, 6] },
    data: [
      header.map((h) => ({
        text: h,
        type: 'TH' as const,
        font: { src: BOLD },
        backgroundColor: '#f1f3f5',
      })),
      ...rows,
    ],
  });
  doc.moveDown(0.5);
}

function measures(doc: PDFKit.PDFDocument, view: RcaView, rows: RcaMeasureRow[], header: string[]): void {
  if (rows.length === 0) {
    doc.fillColor(MUTED).text(view.t.none).fillColor('black');
    return;
  }
  const withStatus = header.length === 3;
  const cols = view.internal ? [...header, view.t.owner] : header;
  const widths = withStatus
    ? view.internal
      ? [0.5, 0.18, 0.14, 0.18]
      : [0.6, 0.22, 0.18]
    : view.internal
      ? [0.6, 0.2, 0.2]
      : [0.7, 0.3];
  const text = (m: RcaMeasureRow) => [m.title, m.description, m.tracker].filter(Boolean).join('\n');
  table(
    doc,
    cols,
    rows.map((m) => [
      text(m),
      m.date,
      ...(withStatus ? [m.status] : []),
      ...(view.internal ? [m.owner] : []),
    ]),
    widths,
  );
}

function footers(doc: PDFKit.PDFDocument, view: RcaView): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin must not open a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 8;
    doc.font(BODY).fontSize(8.5).fillColor(MUTED);
    doc.text(`${view.reference} — ${view.t.documentTitle}`, MARGIN, y, {
      width: (doc.page.width - 2 * MARGIN) / 2,
      lineBreak: false,
    });
    doc.text(pageLabel(view.language, i - range.start + 1, range.count), doc.page.width / 2, y, {
      width: doc.page.width / 2 - MARGIN,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
