/**
 * Reads what an exported figure file says about itself, straight from its bytes (independent of the
 * code that wrote it): PDF pages and their MediaBox, PNG IHDR size and pHYs resolution, TIFF image
 * size and resolution tags, and an SVG's root size and text, parsed by the browser's strict XML parser.
 */
import type { Page } from '@playwright/test';

export const PT_PER_MM = 72 / 25.4;

/** Pixels a physical length takes at a resolution. */
export function pixelsFor(mm: number, dpi: number): number {
  return Math.round((mm / 25.4) * dpi);
}

export interface PdfPage {
  /** [x0, y0, x1, y1] in pt. */
  mediaBox: number[];
}

/** Page objects of a PDF (uncompressed page dictionaries, as jsPDF and most writers emit). */
export function pdfPages(bytes: Uint8Array): PdfPage[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.startsWith('%PDF-')) throw new Error('not a PDF (no %PDF- header)');
  if (!/%%EOF\s*$/.test(text)) throw new Error('PDF has no %%EOF trailer');
  const pages: PdfPage[] = [];
  const inherited = /\/Type\s*\/Pages\b[\s\S]*?\/MediaBox\s*\[([^\]]+)\]/.exec(text)?.[1];
  for (const match of text.matchAll(/\d+\s+\d+\s+obj\b([\s\S]*?)\bendobj/g)) {
    const body = match[1]!;
    if (!/\/Type\s*\/Page(?![a-zA-Z])/.test(body)) continue;
    const box = /\/MediaBox\s*\[([^\]]+)\]/.exec(body)?.[1] ?? inherited;
    if (!box) throw new Error('PDF page without a MediaBox');
    pages.push({ mediaBox: box.trim().split(/\s+/).map(Number) });
  }
  return pages;
}

export interface PngInfo {
  width: number;
  height: number;
  /** From the pHYs chunk (pixels per metre → dpi); null when it has none. */
  dpiX: number | null;
  dpiY: number | null;
  /** pHYs chunks seen (a valid PNG has at most one). */
  physChunks: number;
}

export function pngInfo(bytes: Uint8Array): PngInfo {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let dpiX: number | null = null;
  let dpiY: number | null = null;
  let physChunks = 0;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1');
    const data = at + 8;
    if (type === 'IHDR') {
      width = view.getUint32(data);
      height = view.getUint32(data + 4);
    } else if (type === 'pHYs') {
      physChunks++;
      // Unit 1 is the metre; unit 0 gives only an aspect ratio.
      if (bytes[data + 8] === 1) {
        dpiX = view.getUint32(data) * 0.0254;
        dpiY = view.getUint32(data + 4) * 0.0254;
      }
    } else if (type === 'IEND') break;
    at = data + length + 4;
  }
  return { width, height, dpiX, dpiY, physChunks };
}

export interface TiffInfo {
  width: number;
  height: number;
  dpiX: number | null;
}

/** First IFD of a baseline TIFF: ImageWidth (256), ImageLength (257), XResolution (282) per inch. */
export function tiffInfo(bytes: Uint8Array): TiffInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = Buffer.from(bytes.subarray(0, 2)).toString('latin1');
  if (order !== 'II' && order !== 'MM') throw new Error('not a TIFF (bad byte order mark)');
  const little = order === 'II';
  if (view.getUint16(2, little) !== 42) throw new Error('not a TIFF (magic is not 42)');
  const ifd = view.getUint32(4, little);
  const entries = view.getUint16(ifd, little);
  const tags = new Map<number, number>();
  let unitInches = true;
  for (let i = 0; i < entries; i++) {
    const at = ifd + 2 + i * 12;
    const tag = view.getUint16(at, little);
    const type = view.getUint16(at + 2, little);
    const value = type === 3 ? view.getUint16(at + 8, little) : view.getUint32(at + 8, little);
    if (type === 5) {
      const offset = view.getUint32(at + 8, little);
      tags.set(tag, view.getUint32(offset, little) / view.getUint32(offset + 4, little));
    } else tags.set(tag, value);
    if (tag === 296) unitInches = value === 2;
  }
  const x = tags.get(282);
  return {
    width: tags.get(256) ?? 0,
    height: tags.get(257) ?? 0,
    dpiX: x === undefined ? null : unitInches ? x : x * 2.54,
  };
}

export interface SvgInfo {
  width: string | null;
  height: string | null;
  texts: string[];
}

/** The few DOM pieces the check uses, typed here because this file compiles without the DOM lib. */
interface XmlElement {
  localName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
interface XmlDocument {
  documentElement: XmlElement;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}
interface BrowserGlobals {
  DOMParser: new () => { parseFromString(source: string, type: string): XmlDocument };
}

/** Parses an SVG with the browser's XML parser (which refuses ill-formed XML) and lists its text. */
export async function parseSvg(page: Page, svg: string): Promise<SvgInfo> {
  return page.evaluate((source) => {
    const { DOMParser } = globalThis as unknown as BrowserGlobals;
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) throw new Error(`SVG does not parse: ${error.textContent}`);
    const root = doc.documentElement;
    if (root.localName !== 'svg') throw new Error(`root element is <${root.localName}>, not <svg>`);
    return {
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      texts: Array.from(doc.getElementsByTagName('text'), (t) => t.textContent ?? ''),
    };
  }, svg);
}
