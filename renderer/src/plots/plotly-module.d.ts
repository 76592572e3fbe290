/** The slice of plotly.js's API Elyte uses (plotly.js-dist-min ships no types). */
declare module 'plotly.js-dist-min' {
  export type Datum = number | string | null;
  export interface PlotData {
    x?: ArrayLike<Datum>;
    y?: ArrayLike<Datum>;
    type?: string;
    mode?: string;
    name?: string;
    line?: Record<string, unknown>;
    marker?: Record<string, unknown>;
    error_y?: Record<string, unknown>;
    hovertemplate?: string;
    text?: ArrayLike<string> | string;
    yaxis?: string;
    xaxis?: string;
    showlegend?: boolean;
    [key: string]: unknown;
  }
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;
  export interface PlotlyHTMLElement extends HTMLElement {
    on(event: string, handler: (event: Record<string, unknown>) => void): void;
    removeAllListeners?(event: string): void;
    data?: PlotData[];
    layout?: Layout;
  }
  export function react(
    root: HTMLElement,
    data: PlotData[],
    layout?: Layout,
    config?: Config,
  ): Promise<PlotlyHTMLElement>;
  export function newPlot(
    root: HTMLElement,
    data: PlotData[],
    layout?: Layout,
    config?: Config,
  ): Promise<PlotlyHTMLElement>;
  export function purge(root: HTMLElement): void;
  export function toImage(
    root: HTMLElement | { data: PlotData[]; layout: Layout; config?: Config },
    options: { format: 'png' | 'svg' | 'jpeg' | 'webp'; width: number; height: number; scale?: number },
  ): Promise<string>;
  export function relayout(root: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
  const Plotly: {
    react: typeof react;
    newPlot: typeof newPlot;
    purge: typeof purge;
    toImage: typeof toImage;
    relayout: typeof relayout;
  };
  export default Plotly;
}
