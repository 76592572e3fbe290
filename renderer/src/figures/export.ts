/**
 * Publication export of a plot: the same traces re-laid out at a journal preset's physical size and
 * font, then written as SVG (vector, size in mm), PDF (vector, a page of the preset size), PNG (with
 * its dpi recorded) or TIFF (uncompressed, dpi tags), plus the plotted data as CSV.
 */
import { jsPDF } from 'jspdf';
import Plotly, { type Layout, type PlotData } from 'plotly.js-dist-min';
import 'svg2pdf.js';
import { tracesToCsv } from '../../../app/figures/csv';
import {
  type FigurePreset,
  mmToCssPx,
  ptToCssPx,
  rasterPixels,
  richLabel,
  validateDpi,
} from '../../../app/figures/presets';
import { encodeTiff } from '../../../app/figures/tiff';
import { withPngDpi } from './png';

export type ExportFormat = 'svg' | 'pdf' | 'png' | 'tiff' | 'csv';

export interface FigureRequest {
  data: PlotData[];
  layout: Layout;
  preset: FigurePreset;
  font: string;
  dpi: number;
  xLabel: string;
  yLabel: string;
  fileBase: string;
}

export interface ExportedFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** The layout of the exported figure: physical size, journal fonts, thin lines, no interactive chrome. */
export function publicationFigure(request: FigureRequest): {
  data: PlotData[];
  layout: Layout;
  width: number;
  height: number;
} {
  const { preset } = request;
  const width = Math.round(mmToCssPx(preset.width_mm));
  const height = Math.round(mmToCssPx(preset.height_mm));
  const font = {
    family: `${request.font}, Helvetica, Arial, sans-serif`,
    size: ptToCssPx(preset.font_pt),
    color: '#000',
  };
  const axis = (base: unknown, title: string) => ({
    ...(typeof base === 'object' && base ? base : {}),
    title: { text: richLabel(title), font },
    tickfont: font,
    showline: true,
    linecolor: '#000',
    linewidth: ptToCssPx(0.5),
    mirror: true,
    ticks: 'outside',
    gridcolor: '#e6e6e6',
    zeroline: false,
  });
  const data = request.data.map((trace) => ({
    ...trace,
    line: { ...(trace.line ?? {}), width: ptToCssPx(preset.lineWidth_pt) },
    marker: { ...(trace.marker ?? {}), size: ptToCssPx(preset.markerSize_pt) },
  }));
  const layout: Layout = {
    ...request.layout,
    title: undefined,
    width,
    height,
    font,
    paper_bgcolor: '#fff',
    plot_bgcolor: '#fff',
    margin: { l: font.size * 4.5, r: font.size * 1.5, t: font.size * 1.5, b: font.size * 3.5 },
    legend: { font, bgcolor: 'rgba(255,255,255,0)' },
    xaxis: axis(request.layout.xaxis, request.xLabel),
    yaxis: axis(request.layout.yaxis, request.yLabel),
  };
  return { data, layout, width, height };
}

export async function exportFigure(format: ExportFormat, request: FigureRequest): Promise<ExportedFile> {
  const dpi = validateDpi(request.dpi);
  if (format === 'csv') {
    const traces = request.data.map((trace, i) => ({
      name: String(trace.name ?? `trace ${i + 1}`),
      x: (trace.x ?? []) as ArrayLike<number | null>,
      y: (trace.y ?? []) as ArrayLike<number | null>,
    }));
    return text(`${request.fileBase}.csv`, 'text/csv', tracesToCsv(traces, request.xLabel, request.yLabel));
  }
  const figure = publicationFigure(request);
  if (format === 'svg' || format === 'pdf') {
    const svg = sizedSvg(await toSvg(figure), request.preset);
    if (format === 'svg') return text(`${request.fileBase}.svg`, 'image/svg+xml', svg);
    return {
      name: `${request.fileBase}.pdf`,
      mime: 'application/pdf',
      bytes: await svgToPdf(svg, request.preset),
    };
  }
  const scale = dpi / 96;
  const url = await Plotly.toImage(
    { data: figure.data, layout: figure.layout, config: { staticPlot: true } },
    { format: 'png', width: figure.width, height: figure.height, scale },
  );
  const png = dataUrlBytes(url);
  // Plotly rounds the layout to whole CSS pixels before scaling (85 mm → 321 px × 6.25 = 2006 px at
  // 600 dpi), so the raster is redrawn at exactly the size the preset and dpi imply (2008 px).
  const { pixels, width, height, canvas } = await decodePng(
    png,
    rasterPixels(request.preset.width_mm, dpi),
    rasterPixels(request.preset.height_mm, dpi),
  );
  if (format === 'png') {
    const exact = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    return { name: `${request.fileBase}.png`, mime: 'image/png', bytes: withPngDpi(exact, dpi) };
  }
  return {
    name: `${request.fileBase}.tiff`,
    mime: 'image/tiff',
    bytes: encodeTiff(pixels, width, height, dpi),
  };
}

async function toSvg(figure: {
  data: PlotData[];
  layout: Layout;
  width: number;
  height: number;
}): Promise<string> {
  const url = await Plotly.toImage(
    { data: figure.data, layout: figure.layout, config: { staticPlot: true } },
    { format: 'svg', width: figure.width, height: figure.height },
  );
  const comma = url.indexOf(',');
  const payload = url.slice(comma + 1);
  return url.slice(0, comma).includes('base64') ? atob(payload) : decodeURIComponent(payload);
}

/** States the physical size on the root element (journals read width/height in mm). */
function sizedSvg(svg: string, preset: FigurePreset): string {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const width = root.getAttribute('width');
  const height = root.getAttribute('height');
  if (width && height && !root.getAttribute('viewBox'))
    root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('width', `${preset.width_mm}mm`);
  root.setAttribute('height', `${preset.height_mm}mm`);
  return new XMLSerializer().serializeToString(doc);
}

async function svgToPdf(svg: string, preset: FigurePreset): Promise<Uint8Array> {
  const orientation = preset.width_mm >= preset.height_mm ? 'landscape' : 'portrait';
  const pdf = new jsPDF({
    unit: 'mm',
    format: [preset.width_mm, preset.height_mm],
    orientation,
    compress: true,
  });
  const element = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  // svg2pdf needs the element in a document with layout for text metrics.
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:-10000px;top:0';
  host.appendChild(element);
  document.body.appendChild(host);
  try {
    await pdf.svg(element, { x: 0, y: 0, width: preset.width_mm, height: preset.height_mm });
  } finally {
    host.remove();
  }
  return new Uint8Array(pdf.output('arraybuffer'));
}

async function decodePng(
  png: Uint8Array,
  width: number,
  height: number,
): Promise<{ pixels: Uint8ClampedArray; width: number; height: number; canvas: OffscreenCanvas }> {
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas to rasterise the figure');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  return { pixels: context.getImageData(0, 0, width, height).data, width, height, canvas };
}

function dataUrlBytes(url: string): Uint8Array {
  const binary = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function text(name: string, mime: string, content: string): ExportedFile {
  return { name, mime, bytes: new TextEncoder().encode(content) };
}

/** Hands the file to the browser (or Electron's save dialog) as a download. */
export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
