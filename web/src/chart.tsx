import { useEffect, useRef } from 'preact/hooks';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  /** Chart geometry only (floats); the numbers people read are shown beside the chart, exact. */
  values: Array<number | null>;
}

export interface ChartProps {
  /** Accessible name: what the chart shows. */
  title: string;
  /** Epoch seconds (time axis) or category labels (bar chart of months, quantities...). */
  x: number[] | string[];
  series: ChartSeries[];
  kind?: 'bars' | 'lines' | 'area';
  height?: number;
  /** Formats y-axis ticks and the legend. */
  formatY?: (value: number) => string;
  xLabel?: string;
  testId?: string;
  /** uPlot's live legend (off: the cards show their own exact figures). */
  legend?: boolean;
  /**
   * Stack the series (the first at the bottom): each is drawn as the cumulative sum up to it, the top
   * one first, so every later (lower) one covers the part of the stack below it. A missing value counts
   * as 0. The legend and cursor still show each series' own value.
   */
  stacked?: boolean;
}

/** Cumulative sums, bottom series first, then reversed: the draw order of a stack. */
function stack(series: ChartSeries[]): Array<ChartSeries & { own: Array<number | null> }> {
  const sums: Array<number | null>[] = [];
  series.forEach((s, k) => {
    const below = sums[k - 1];
    sums.push(s.values.map((v, i) => (below?.[i] ?? 0) + (v ?? 0)));
  });
  return series.map((s, k) => ({ ...s, own: s.values, values: sums[k]! })).reverse();
}

const bars = uPlot.paths.bars!({ size: [0.7, 48], gap: 2 });

export function Chart({
  title,
  x,
  series,
  kind = 'lines',
  height = 240,
  formatY,
  xLabel,
  testId,
  legend = false,
  stacked = false,
}: ChartProps) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const categorical = typeof x[0] === 'string';
    const xs = categorical ? x.map((_, i) => i) : (x as number[]);
    const drawn = stacked ? stack(series) : series.map((s) => ({ ...s, own: s.values }));
    const data: AlignedData = [xs, ...drawn.map((s) => s.values)];
    const yTick = (v: number) =>
      formatY ? formatY(v) : new Intl.NumberFormat(undefined, { notation: 'compact' }).format(v);
    const options: Options = {
      width: Math.max(280, element.clientWidth),
      height,
      padding: [12, 8, 0, 4],
      cursor: { points: { size: 6 }, drag: { x: false, y: false } },
      legend: { show: legend, live: true },
      scales: {
        x: categorical ? { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] } : { time: true },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          stroke: '#5b6472',
          grid: { show: false },
          ticks: { stroke: '#d9dee7' },
          ...(categorical
            ? {
                splits: () => xs,
                // Every label while they fit; when they would overlap (many or long ones on a narrow
                // chart), every k-th, so the ones shown stay legible.
                values: (u: uPlot, splits: number[]) => {
                  const labels = x as string[];
                  const widest = Math.max(0, ...labels.map((label) => label.length)) * 7 + 10;
                  const room = u.bbox.width / uPlot.pxRatio / Math.max(1, labels.length);
                  const every = room > 0 ? Math.max(1, Math.ceil(widest / room)) : 1;
                  return splits.map((i) => (i % every === 0 ? String(labels[i] ?? '') : ''));
                },
              }
            : {}),
          ...(xLabel ? { label: xLabel, labelSize: 20 } : {}),
        },
        {
          stroke: '#5b6472',
          grid: { stroke: '#eef1f5', width: 1 },
          ticks: { show: false },
          size: 64,
          values: (_u: uPlot, splits: number[]) => splits.map(yTick),
        },
      ],
      series: [
        categorical
          ? { label: xLabel ?? '', value: (_u, i) => (i == null ? '' : String((x as string[])[i] ?? '')) }
          : {},
        ...drawn.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: kind === 'bars' ? 0 : 2,
          // Stacked areas overlap: opaque enough that the lower ones read as bands.
          fill: kind === 'bars' ? s.color : kind === 'area' ? `${s.color}${stacked ? 'cc' : '22'}` : undefined,
          points: { show: kind === 'lines' && xs.length < 40 },
          value: (_u: uPlot, _v: number | null, _series: number, i: number | null) => {
            const own = i == null ? null : s.own[i];
            return own == null ? '–' : yTick(own);
          },
          ...(kind === 'bars' ? { paths: bars } : {}),
        })),
      ],
    };
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, kind, height, formatY, xLabel, legend, stacked]);

  return (
    <div
      class="chart"
      ref={host}
      role="img"
      aria-label={title}
      data-testid={testId}
      data-series={series.length}
      data-stacked={stacked ? 'true' : undefined}
    />
  );
}
