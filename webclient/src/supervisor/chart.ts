/**
 * The arithmetic of the dashboard's small SVG charts: a "nice" value axis and the rectangles
 * of grouped or stacked bars. Pure, so it is unit-tested; charts.tsx only draws.
 */

export interface Scale {
  /** The top of the axis (≥ the largest value). */
  max: number;
  step: number;
  ticks: number[];
}

/** Rounds away floating-point noise (0.30000000000000004 → 0.3). */
function clean(n: number): number {
  return Number.parseFloat(n.toPrecision(12));
}

/**
 * An axis from 0 to a round number at or above `max`, in about `target` steps of 1, 2, 2.5
 * or 5 times a power of ten. `integer` (counts) keeps steps whole. An empty or zero range is
 * 0–1 so that bars of zero still have an axis.
 */
export function niceScale(max: number, target = 5, integer = false): Scale {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (top === 0) return { max: 1, step: 1, ticks: [0, 1] };
  const raw = top / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const multiples = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  let step = magnitude * (multiples.find((m) => raw <= m * magnitude) ?? 10);
  if (integer) step = Math.max(1, Math.round(step));
  step = clean(step);
  const niceMax = clean(Math.ceil(clean(top / step)) * step);
  const ticks: number[] = [];
  for (let i = 0; clean(i * step) <= niceMax; i++) ticks.push(clean(i * step));
  return { max: niceMax, step, ticks };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Bar extends Box {
  series: number;
  category: number;
  value: number;
}

export interface BarLayout {
  scale: Scale;
  plot: Box;
  bars: Bar[];
  /** The centre x of each category's band (for its label). */
  centers: number[];
  /** The band width of one category. */
  band: number;
  /** The y of a value on the axis. */
  y: (value: number) => number;
}

export interface BarOptions {
  /** values[series][category]; missing or negative values count as 0. */
  values: readonly (readonly number[])[];
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  stacked?: boolean;
  integer?: boolean;
  /** Share of a band left empty between categories (0–0.9). */
  gap?: number;
}

function value(v: number | undefined): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * Rectangles for grouped (side by side) or stacked bars. Categories share the plot width in
 * equal bands; within a band each series gets an equal slot (grouped) or the stack grows
 * upwards in series order (stacked). Heights are proportional to the values on niceScale.
 */
export function barLayout(options: BarOptions): BarLayout {
  const { values, width, height, margin } = options;
  const stacked = options.stacked ?? false;
  const gap = Math.min(0.9, Math.max(0, options.gap ?? 0.3));
  const categories = Math.max(0, ...values.map((s) => s.length));
  const plot: Box = {
    x: margin.left,
    y: margin.top,
    width: Math.max(0, width - margin.left - margin.right),
    height: Math.max(0, height - margin.top - margin.bottom),
  };
  let top = 0;
  for (let c = 0; c < categories; c++) {
    const column = values.map((s) => value(s[c]));
    top = Math.max(top, stacked ? column.reduce((a, b) => a + b, 0) : Math.max(0, ...column));
  }
  const scale = niceScale(top, 5, options.integer ?? false);
  const y = (v: number) => plot.y + plot.height - (value(v) / scale.max) * plot.height;
  const band = categories > 0 ? plot.width / categories : plot.width;
  const inner = band * (1 - gap);
  const centers: number[] = [];
  const bars: Bar[] = [];
  for (let c = 0; c < categories; c++) {
    const start = plot.x + c * band + (band - inner) / 2;
    centers.push(plot.x + c * band + band / 2);
    let base = 0;
    values.forEach((series, s) => {
      const v = value(series[c]);
      const h = (v / scale.max) * plot.height;
      if (stacked) {
        bars.push({ series: s, category: c, value: v, x: start, width: inner, y: y(base + v), height: h });
        base += v;
      } else {
        const slot = inner / Math.max(1, values.length);
        bars.push({ series: s, category: c, value: v, x: start + s * slot, width: slot, y: y(v), height: h });
      }
    });
  }
  return { scale, plot, bars, centers, band, y };
}

/** Points of a line over equal steps on a fixed value range (e.g. 1–5). */
export function linePoints(values: readonly number[], min: number, max: number, plot: Box): { x: number; y: number }[] {
  const span = max - min || 1;
  const step = values.length > 1 ? plot.width / (values.length - 1) : 0;
  return values.map((v, i) => ({
    x: values.length > 1 ? plot.x + i * step : plot.x + plot.width / 2,
    y: plot.y + plot.height - ((Math.min(max, Math.max(min, v)) - min) / span) * plot.height,
  }));
}

/** Seconds or minutes, whichever reads better for the largest value of a chart. */
export function timeUnit(maxSeconds: number): { unit: "s" | "min"; divisor: number } {
  return maxSeconds >= 120 ? { unit: "min", divisor: 60 } : { unit: "s", divisor: 1 };
}

/** A number with at most one decimal, in the language's style ("2,5" / "2.5"). */
export function formatNumber(n: number, lang: "sv" | "en"): string {
  return new Intl.NumberFormat(lang === "sv" ? "sv-SE" : "en-GB", { maximumFractionDigits: 1 }).format(n);
}

/** "45 s", "2,5 min", "1,2 h"; "–" when unknown. */
export function formatDuration(seconds: number | null | undefined, lang: "sv" | "en"): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  if (seconds < 120) return `${formatNumber(seconds, lang)} s`;
  if (seconds < 7200) return `${formatNumber(seconds / 60, lang)} min`;
  return `${formatNumber(seconds / 3600, lang)} h`;
}
