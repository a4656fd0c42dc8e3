import type { ComponentChildren } from "preact";
import { barLayout, linePoints, type Box } from "./chart";

/*
 * Small inline SVG charts drawn with Preact: every label is a <text> node (text, never
 * markup), colours come from CSS classes (no style attributes: the CSP allows none), and each
 * chart is a <figure> whose caption and the svg's aria-label carry a text summary.
 */

const WIDTH = 480;
const HEIGHT = 270;
const MARGIN = { top: 24, right: 12, bottom: 62, left: 60 };

export interface Series {
  label: string;
  values: number[];
}

interface FrameProps {
  testId: string;
  title: string;
  summary: string;
  legend?: string[];
  children: ComponentChildren;
}

function Figure({ testId, title, summary, legend, children }: FrameProps) {
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>
        <span class="chart-title">{title}</span>
        <span class="chart-summary">{summary}</span>
      </figcaption>
      {legend && legend.length > 1 ? (
        <ul class="chart-legend" aria-hidden="true">
          {legend.map((label, i) => (
            <li key={label}>
              <span class={`swatch series-${i}`} /> {label}
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </figure>
  );
}

interface AxisProps {
  plot: Box;
  ticks: number[];
  y: (v: number) => number;
  yLabel: string;
  xLabel: string;
  format: (v: number) => string;
}

function Axes({ plot, ticks, y, yLabel, xLabel, format }: AxisProps) {
  const bottom = plot.y + plot.height;
  return (
    <g class="axes">
      {ticks.map((tick) => (
        <g key={tick}>
          <line class="grid" x1={plot.x} x2={plot.x + plot.width} y1={y(tick)} y2={y(tick)} />
          <text class="tick" x={plot.x - 6} y={y(tick)} text-anchor="end" dominant-baseline="middle">
            {format(tick)}
          </text>
        </g>
      ))}
      <line class="axis" x1={plot.x} x2={plot.x + plot.width} y1={bottom} y2={bottom} />
      <line class="axis" x1={plot.x} x2={plot.x} y1={plot.y} y2={bottom} />
      <text class="axis-label" transform={`translate(14 ${plot.y + plot.height / 2}) rotate(-90)`} text-anchor="middle">
        {yLabel}
      </text>
      <text class="axis-label" x={plot.x + plot.width / 2} y={HEIGHT - 6} text-anchor="middle">
        {xLabel}
      </text>
    </g>
  );
}

/** A category label under its band; long labels are tilted when bands are narrow. */
function CategoryLabel({ x, y, band, text, sub }: { x: number; y: number; band: number; text: string; sub?: string | undefined }) {
  const tilt = band < 7.5 * text.length;
  return (
    <text class="category" x={x} y={y} text-anchor={tilt ? "end" : "middle"} transform={tilt ? `rotate(-25 ${x} ${y})` : undefined}>
      {text}
      {sub ? (
        <tspan x={x} dy="1.2em" class="category-sub">
          {sub}
        </tspan>
      ) : null}
    </text>
  );
}

interface BarChartProps {
  testId: string;
  title: string;
  /** A text summary of the data: the caption and the svg's accessible name. */
  summary: string;
  categories: string[];
  series: Series[];
  stacked?: boolean;
  integer?: boolean;
  yLabel: string;
  xLabel: string;
  /** Value labels and ticks. */
  format?: (v: number) => string;
  /** Labels for values that are unknown rather than zero (shown instead of the number). */
  missing?: boolean[][];
}

/** Grouped (or stacked) bars with value labels, a value axis and category labels. */
export function BarChart(props: BarChartProps) {
  const { categories, series, stacked = false, integer = false, format = (v: number) => String(v) } = props;
  const layout = barLayout({
    values: series.map((s) => s.values),
    width: WIDTH,
    height: HEIGHT,
    margin: MARGIN,
    stacked,
    integer,
  });
  const bottom = layout.plot.y + layout.plot.height;
  return (
    <Figure testId={props.testId} title={props.title} summary={props.summary} legend={series.map((s) => s.label)}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${props.title}. ${props.summary}`} focusable="false">
        <Axes plot={layout.plot} ticks={layout.scale.ticks} y={layout.y} yLabel={props.yLabel} xLabel={props.xLabel} format={format} />
        {layout.bars.map((bar) => {
          const unknown = props.missing?.[bar.series]?.[bar.category] ?? false;
          const label = unknown ? "–" : format(bar.value);
          const inside = stacked && bar.value > 0 && bar.height >= 16;
          return (
            <g key={`${bar.series}-${bar.category}`}>
              <rect class={`bar series-${bar.series}`} x={bar.x} y={bar.y} width={Math.max(0, bar.width - 1)} height={bar.height} />
              {stacked && !inside ? null : bar.width >= 14 ? (
                <text
                  class={inside ? "value value-inside" : "value"}
                  x={bar.x + bar.width / 2}
                  y={inside ? bar.y + bar.height / 2 : bar.y - 4}
                  text-anchor="middle"
                  dominant-baseline={inside ? "middle" : "auto"}
                >
                  {label}
                </text>
              ) : null}
            </g>
          );
        })}
        {stacked
          ? categories.map((_, c) => {
              const segments = layout.bars.filter((b) => b.category === c && b.value > 0);
              // A lone segment labelled inside already says the total.
              if (segments.length === 1 && (segments[0]?.height ?? 0) >= 16) return null;
              const total = segments.reduce((sum, b) => sum + b.value, 0);
              const x = layout.centers[c] ?? 0;
              return (
                <text key={`total-${c}`} class="value" x={x} y={layout.y(total) - 4} text-anchor="middle">
                  {format(total)}
                </text>
              );
            })
          : null}
        {categories.map((name, c) => (
          <CategoryLabel key={`cat-${c}`} x={layout.centers[c] ?? 0} y={bottom + 16} band={layout.band} text={name} />
        ))}
      </svg>
    </Figure>
  );
}

interface LineChartProps {
  testId: string;
  title: string;
  summary: string;
  labels: string[];
  /** A second line under each label (e.g. the number of answers). */
  subLabels?: string[];
  values: number[];
  min: number;
  max: number;
  yLabel: string;
  xLabel: string;
  format?: (v: number) => string;
}

/** A line over equal steps (weeks) on a fixed range, points labelled with their values. */
export function LineChart(props: LineChartProps) {
  const { values, min, max, format = (v: number) => String(v) } = props;
  const plot: Box = {
    x: MARGIN.left + 16,
    y: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right - 32,
    height: HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const y = (v: number) => plot.y + plot.height - ((v - min) / (max - min || 1)) * plot.height;
  const ticks: number[] = [];
  for (let v = min; v <= max; v++) ticks.push(v);
  const points = linePoints(values, min, max, plot);
  const axisPlot: Box = { ...plot, x: MARGIN.left, width: WIDTH - MARGIN.left - MARGIN.right };
  const band = values.length > 0 ? plot.width / values.length : plot.width;
  return (
    <Figure testId={props.testId} title={props.title} summary={props.summary}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${props.title}. ${props.summary}`} focusable="false">
        <Axes plot={axisPlot} ticks={ticks} y={y} yLabel={props.yLabel} xLabel={props.xLabel} format={format} />
        {points.length > 1 ? <polyline class="line series-0" points={points.map((p) => `${p.x},${p.y}`).join(" ")} /> : null}
        {points.map((p, i) => (
          <g key={`p-${i}`}>
            <circle class="point series-0" cx={p.x} cy={p.y} r={4} />
            <text class="value" x={p.x} y={p.y - 8} text-anchor="middle">
              {format(values[i] ?? 0)}
            </text>
            <CategoryLabel x={p.x} y={plot.y + plot.height + 16} band={band} text={props.labels[i] ?? ""} sub={props.subLabels?.[i]} />
          </g>
        ))}
      </svg>
    </Figure>
  );
}
