/**
 * The time strip: a lane per workspace × service, its events drawn on a canvas as per-pixel-column
 * marks (taller where more events fall, failed ones in the error colour), so 10k events draw as
 * fast as 10. Wheel or buttons zoom about the cursor, dragging pans, a click picks an instant.
 * Lane names are DOM text; colours come from the theme through CSS (read back from swatches).
 */
import { clear, h } from '../dom';
import { showBidiControls } from '../../src/shared/text/untrusted';
import { button } from '../ui/components';
import { bucketCounts, formatInstant, fullRange, laneLabel, panRange, tickLabel, timeTicks, visibleEvents, zoomRange, type Lane, type TimeRange } from './stripModel';

const LANE_HEIGHT = 22;
const AXIS_HEIGHT = 22;
const COLUMN_PX = 3;
const ZOOM_STEP = 1.6;
/** A pointer that moves less than this between down and up clicked rather than dragged. */
const CLICK_SLOP_PX = 4;

export interface StripCallbacks {
  /** The user clicked the strip at an instant (the grid scrolls to it). */
  pick(time: number): void;
  /** The visible range changed (zoom or pan). */
  rangeChanged?(range: TimeRange): void;
}

interface Palette {
  mark: string;
  error: string;
  grid: string;
  text: string;
  laneAlt: string;
}

export class TimeStrip {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly labels: HTMLElement;
  private readonly rangeText: HTMLElement;
  private readonly swatches: HTMLElement;
  private lanes: Lane[] = [];
  private extent: TimeRange | undefined;
  private range: TimeRange | undefined;
  private frame = 0;
  private readonly resize = new ResizeObserver(() => this.schedule());

  constructor(private readonly callbacks: StripCallbacks) {
    this.canvas = h('canvas', { className: 'tl-canvas', attrs: { role: 'img', 'aria-label': 'Events over time, one lane per workspace and service' } });
    this.labels = h('div', { className: 'tl-lane-labels' });
    this.rangeText = h('span', { className: 'tl-range', attrs: { 'aria-live': 'polite' } });
    this.swatches = h('div', { className: 'tl-swatches', attrs: { 'aria-hidden': 'true' } }, ...['mark', 'error', 'grid', 'text', 'lane-alt'].map((name) => h('span', { className: `tl-swatch-${name}` })));
    const tools = h(
      'div',
      { className: 'tl-strip-tools' },
      button({ label: '+', title: 'Zoom in', appearance: 'icon', action: 'zoom-in', onClick: () => this.zoom(1 / ZOOM_STEP, 0.5) }),
      button({ label: '−', title: 'Zoom out', appearance: 'icon', action: 'zoom-out', onClick: () => this.zoom(ZOOM_STEP, 0.5) }),
      button({ label: 'Fit', title: 'Show every event', appearance: 'icon', action: 'zoom-fit', onClick: () => this.fit() }),
      this.rangeText,
    );
    const plot = h('div', { className: 'tl-plot' }, this.canvas);
    this.element = h('section', { className: 'tl-strip', attrs: { 'aria-label': 'Time strip' } }, tools, h('div', { className: 'tl-strip-body' }, this.labels, plot), this.swatches);
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.describePoint(e));
    this.resize.observe(plot);
    new MutationObserver(() => this.schedule()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** The range shown (for tests and the grid). */
  get visibleRange(): TimeRange | undefined {
    return this.range;
  }

  setLanes(lanes: Lane[]): void {
    this.lanes = lanes;
    this.extent = fullRange(lanes);
    this.range = this.extent;
    clear(this.labels);
    for (const lane of lanes) {
      const label = laneLabel(lane);
      this.labels.appendChild(h('div', { className: 'tl-lane-label', text: showBidiControls(label), title: `${showBidiControls(label)}: ${lane.times.length.toLocaleString('en-US')} events`, dataset: { lane: lane.key } }));
    }
    this.canvas.style.height = `${AXIS_HEIGHT + lanes.length * LANE_HEIGHT}px`;
    this.labels.style.paddingTop = `${AXIS_HEIGHT}px`;
    this.element.hidden = lanes.length === 0;
    this.rangeChanged();
  }

  /** Zooms by `factor` (< 1 in) about the point `anchor` (0..1) across the strip. */
  zoom(factor: number, anchor: number): void {
    if (!this.range || !this.extent) return;
    this.range = zoomRange(this.range, factor, anchor, this.extent);
    this.rangeChanged();
  }

  fit(): void {
    this.range = this.extent;
    this.rangeChanged();
  }

  private rangeChanged(): void {
    const range = this.range;
    if (range) {
      this.element.dataset.start = String(Math.round(range.start));
      this.element.dataset.end = String(Math.round(range.end));
      const shown = visibleEvents(this.lanes, range);
      this.element.dataset.visible = String(shown);
      this.rangeText.textContent = `${formatInstant(range.start).slice(0, 19)} → ${formatInstant(range.end).slice(0, 19)} UTC · ${shown.toLocaleString('en-US')} events in view`;
      this.callbacks.rangeChanged?.(range);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private palette(): Palette {
    const color = (name: string) => getComputedStyle(this.swatches.querySelector(`.tl-swatch-${name}`) as Element).color;
    return { mark: color('mark'), error: color('error'), grid: color('grid'), text: color('text'), laneAlt: color('lane-alt') };
  }

  private draw(): void {
    const range = this.range;
    const width = this.canvas.clientWidth;
    const height = AXIS_HEIGHT + this.lanes.length * LANE_HEIGHT;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(width * ratio));
    this.canvas.height = Math.max(1, Math.round(height * ratio));
    const g = this.canvas.getContext('2d');
    if (!g || !range || width === 0) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const colors = this.palette();
    const x = (t: number) => ((t - range.start) / (range.end - range.start)) * width;

    this.lanes.forEach((_, i) => {
      if (i % 2 === 1) {
        g.fillStyle = colors.laneAlt;
        g.fillRect(0, AXIS_HEIGHT + i * LANE_HEIGHT, width, LANE_HEIGHT);
      }
    });
    const ticks = timeTicks(range, Math.max(2, Math.floor(width / 110)));
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : range.end - range.start;
    g.font = '11px ' + (getComputedStyle(document.body).fontFamily || 'sans-serif');
    g.textBaseline = 'middle';
    for (const t of ticks) {
      const tx = Math.round(x(t)) + 0.5;
      g.fillStyle = colors.grid;
      g.fillRect(tx, AXIS_HEIGHT - 4, 1, height - AXIS_HEIGHT + 4);
      g.fillStyle = colors.text;
      g.fillText(tickLabel(t, step), tx + 3, AXIS_HEIGHT / 2);
    }

    const columns = Math.max(1, Math.floor(width / COLUMN_PX));
    const columnWidth = width / columns;
    const counts = this.lanes.map((lane) => bucketCounts(lane.times, range, columns));
    const errors = this.lanes.map((lane) => (lane.errorTimes.length > 0 ? bucketCounts(lane.errorTimes, range, columns) : undefined));
    let most = 1;
    for (const lane of counts) for (const c of lane) if (c > most) most = c;
    const inner = LANE_HEIGHT - 6;
    counts.forEach((laneCounts, i) => {
      const bottom = AXIS_HEIGHT + (i + 1) * LANE_HEIGHT - 3;
      for (let c = 0; c < columns; c++) {
        const n = laneCounts[c]!;
        if (n === 0) continue;
        const barHeight = Math.max(4, inner * (0.3 + (0.7 * Math.log1p(n)) / Math.log1p(most)));
        const failed = errors[i]?.[c] ?? 0;
        const left = c * columnWidth;
        const barWidth = Math.max(2, columnWidth - 1);
        g.fillStyle = colors.mark;
        g.fillRect(left, bottom - barHeight, barWidth, barHeight);
        if (failed > 0) {
          const errorHeight = Math.max(2, (barHeight * failed) / n);
          g.fillStyle = colors.error;
          g.fillRect(left, bottom - barHeight, barWidth, errorHeight);
        }
      }
    });
  }

  private timeAt(clientX: number): { time: number; anchor: number } | undefined {
    if (!this.range) return undefined;
    const box = this.canvas.getBoundingClientRect();
    const anchor = box.width > 0 ? (clientX - box.left) / box.width : 0.5;
    return { time: this.range.start + anchor * (this.range.end - this.range.start), anchor };
  }

  private onWheel(event: WheelEvent): void {
    if (event.deltaY === 0) return;
    event.preventDefault();
    const at = this.timeAt(event.clientX);
    this.zoom(event.deltaY < 0 ? 1 / 1.25 : 1.25, at?.anchor ?? 0.5);
  }

  private onPointerDown(event: PointerEvent): void {
    if (!this.range || !this.extent || event.button !== 0) return;
    const startX = event.clientX;
    const startRange = this.range;
    const msPerPx = (startRange.end - startRange.start) / Math.max(1, this.canvas.clientWidth);
    let dragged = false;
    this.canvas.setPointerCapture(event.pointerId);
    this.canvas.classList.add('dragging');
    const move = (e: PointerEvent) => {
      if (Math.abs(e.clientX - startX) > CLICK_SLOP_PX) dragged = true;
      if (!dragged || !this.extent) return;
      this.range = panRange(startRange, -(e.clientX - startX) * msPerPx, this.extent);
      this.rangeChanged();
    };
    const up = (e: PointerEvent) => {
      this.canvas.removeEventListener('pointermove', move);
      this.canvas.removeEventListener('pointerup', up);
      this.canvas.removeEventListener('pointercancel', up);
      this.canvas.classList.remove('dragging');
      if (!dragged) {
        const at = this.timeAt(e.clientX);
        if (at) this.callbacks.pick(at.time);
      }
    };
    this.canvas.addEventListener('pointermove', move);
    this.canvas.addEventListener('pointerup', up);
    this.canvas.addEventListener('pointercancel', up);
  }

  /** The canvas's tooltip: the lane and instant under the pointer. */
  private describePoint(event: PointerEvent): void {
    const at = this.timeAt(event.clientX);
    const lane = this.lanes[Math.floor((event.offsetY - AXIS_HEIGHT) / LANE_HEIGHT)];
    this.canvas.title = at && lane ? `${showBidiControls(laneLabel(lane))}\n${formatInstant(at.time).slice(0, 19)} UTC\nClick to show the events from here; drag to pan; wheel to zoom` : '';
  }
}
