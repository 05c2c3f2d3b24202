/** Draws chart models as SVG, built node by node (createElementNS + textContent). */
import { h, svg } from '../dom';
import { showBidiControls } from '../../src/shared/text/untrusted';
import type { Bar, ChartModel, Series } from './model';
import { niceScale } from './scale';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 26 };
const SERIES_CLASSES = 6;

function formatCount(value: number): string {
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(2));
}

/** Draws gridlines and their labels; returns the scale's top value. */
function axes(root: SVGSVGElement, highest: number): number {
  const { max, ticks } = niceScale(highest);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  for (let i = 0; i <= ticks; i++) {
    const y = PAD.top + plotH - (plotH * i) / ticks;
    root.appendChild(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y, class: 'chart-grid' }));
    root.appendChild(svg('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'chart-axis' }, formatCount((max * i) / ticks)));
  }
  return max;
}

function xLabels(root: SVGSVGElement, labels: readonly string[], slot: number): void {
  const every = Math.max(1, Math.ceil(labels.length / Math.floor((WIDTH - PAD.left - PAD.right) / 70)));
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const x = PAD.left + slot * i + slot / 2;
    const room = Math.max(6, Math.floor((slot * every) / 6.5));
    const text = showBidiControls(label.length > room ? label.slice(0, room - 1) + '…' : label);
    root.appendChild(svg('text', { x, y: HEIGHT - PAD.bottom + 16, 'text-anchor': 'middle', class: 'chart-axis' }, text));
  });
}

function legend(series: readonly Series[]): HTMLElement {
  return h(
    'div',
    { className: 'chart-legend' },
    ...series.map((s, i) => h('span', { className: 'chart-legend-item' }, h('span', { className: `chart-swatch series-${i % SERIES_CLASSES}` }), showBidiControls(s.name))),
  );
}

function frame(model: ChartModel): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart-svg', role: 'img' });
  root.appendChild(svg('title', {}, showBidiControls(model.title)));
  return root;
}

const BAR_ROW = 20;
const LABEL_CHARS = 36;
/** Width of one character of the 10px axis font, in viewBox units (a little generous). */
const CHAR_WIDTH = 6;

/** Grouped counts as horizontal bars: category labels (service · action, versions, emails) stay readable. */
function horizontalBars(title: string, bars: readonly Bar[]): SVGSVGElement {
  const labels = bars.map((b) => showBidiControls(b.label.length > LABEL_CHARS ? b.label.slice(0, LABEL_CHARS - 1) + '…' : b.label));
  const labelWidth = Math.min(LABEL_CHARS, Math.max(4, ...labels.map((l) => l.length))) * CHAR_WIDTH + 8;
  const left = labelWidth + 8;
  const right = 44;
  const top = 4;
  const plotH = bars.length * BAR_ROW;
  const height = top + plotH + 20;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart-svg', role: 'img' });
  root.appendChild(svg('title', {}, showBidiControls(title)));
  const { max, ticks } = niceScale(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = WIDTH - left - right;
  for (let i = 0; i <= ticks; i++) {
    const x = left + (plotW * i) / ticks;
    root.appendChild(svg('line', { x1: x, x2: x, y1: top, y2: top + plotH, class: 'chart-grid' }));
    root.appendChild(svg('text', { x, y: top + plotH + 14, 'text-anchor': 'middle', class: 'chart-axis' }, formatCount((max * i) / ticks)));
  }
  bars.forEach((bar, i) => {
    const y = top + i * BAR_ROW;
    const width = (Math.max(0, bar.value) / max) * plotW;
    root.appendChild(svg('text', { x: labelWidth, y: y + BAR_ROW / 2 + 3.5, 'text-anchor': 'end', class: 'chart-axis chart-label' }, labels[i]));
    const rect = svg('rect', { x: left, y: y + BAR_ROW * 0.15, width: Math.max(1, width), height: BAR_ROW * 0.7, class: 'chart-bar series-0' });
    rect.appendChild(svg('title', {}, showBidiControls(`${bar.label}: ${bar.value}`)));
    root.appendChild(rect);
    root.appendChild(svg('text', { x: left + width + 4, y: y + BAR_ROW / 2 + 3.5, class: 'chart-axis chart-value' }, formatCount(bar.value)));
  });
  return root;
}

export function drawChart(model: ChartModel): HTMLElement {
  const container = h('figure', { className: `chart chart-${model.kind}` }, h('figcaption', { text: showBidiControls(model.title) }));
  if (model.kind === 'bars') {
    container.appendChild(horizontalBars(model.title, model.bars));
    return container;
  }
  const root = frame(model);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const base = PAD.top + plotH;
  const count = model.labels.length;
  const slot = plotW / Math.max(1, count);
  if (model.kind === 'stacked') {
    const totals = model.labels.map((_, i) => model.series.reduce((sum, s) => sum + s.values[i], 0));
    const max = axes(root, Math.max(0, ...totals));
    model.labels.forEach((label, i) => {
      let y = base;
      model.series.forEach((s, k) => {
        const height = (s.values[i] / max) * plotH;
        if (height <= 0) return;
        y -= height;
        const rect = svg('rect', { x: PAD.left + slot * i + slot * 0.1, y, width: Math.max(1, slot * 0.8), height, class: `chart-bar series-${k % SERIES_CLASSES}` });
        rect.appendChild(svg('title', {}, showBidiControls(`${label} · ${s.name}: ${s.values[i]}`)));
        root.appendChild(rect);
      });
    });
  } else {
    const max = axes(root, Math.max(0, ...model.series.flatMap((s) => s.values)));
    model.series.forEach((s, k) => {
      const points = s.values.map((v, i) => `${PAD.left + slot * i + slot / 2},${base - (v / max) * plotH}`);
      root.appendChild(svg('polyline', { points: points.join(' '), class: `chart-line series-${k % SERIES_CLASSES}` }));
      s.values.forEach((v, i) => {
        const dot = svg('circle', { cx: PAD.left + slot * i + slot / 2, cy: base - (v / max) * plotH, r: 3, class: `chart-dot series-${k % SERIES_CLASSES}` });
        dot.appendChild(svg('title', {}, showBidiControls(`${model.labels[i]}: ${v}`)));
        root.appendChild(dot);
      });
    });
  }
  xLabels(root, model.labels, slot);
  container.appendChild(root);
  container.appendChild(legend(model.series));
  return container;
}
