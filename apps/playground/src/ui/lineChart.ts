/** One line of a chart: its points (x, y), colour and legend label. */
export interface Series {
  label: string;
  colour: string;
  points: [number, number][];
}

/**
 * Draws line series on a canvas with axes, ticks and a legend. Redrawn whole
 * on every update: a few hundred points cost well under a millisecond, and a
 * dependency-free chart keeps the page offline-ready.
 */
export function drawLineChart(canvas: HTMLCanvasElement, series: Series[], options: { title: string; xLabel: string; xMax?: number; yMin?: number; yMax?: number }): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d')!;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const pad = { left: 44, right: 12, top: 40, bottom: 30 };
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, options.xMax ?? 0, ...all.map((p) => p[0]));
  const yValues = all.map((p) => p[1]);
  const yMin = options.yMin ?? Math.min(0, ...yValues);
  const yMax = options.yMax ?? Math.max(1e-6, ...yValues) * 1.05;
  const x = (v: number) => pad.left + (v / xMax) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - ((v - yMin) / (yMax - yMin || 1)) * (height - pad.top - pad.bottom);

  g.font = '12px system-ui, sans-serif';
  g.fillStyle = '#1f2937';
  g.font = '600 13px system-ui, sans-serif';
  g.fillText(options.title, pad.left, 14);
  g.font = '12px system-ui, sans-serif';
  g.strokeStyle = '#e5e7eb';
  g.fillStyle = '#6b7280';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    g.beginPath();
    g.moveTo(pad.left, y(v));
    g.lineTo(width - pad.right, y(v));
    g.stroke();
    g.fillText(v.toFixed(2), 4, y(v) + 4);
  }
  g.fillText(`${options.xLabel} (0–${xMax})`, pad.left, height - 8);

  series.forEach((s, index) => {
    g.strokeStyle = s.colour;
    g.lineWidth = 2;
    g.beginPath();
    s.points.forEach(([px, py], i) => (i === 0 ? g.moveTo(x(px), y(py)) : g.lineTo(x(px), y(py))));
    g.stroke();
    if (s.points.length === 1) {
      g.fillStyle = s.colour;
      g.fillRect(x(s.points[0]![0]) - 2, y(s.points[0]![1]) - 2, 4, 4);
    }
    const legendX = pad.left + series.slice(0, index).reduce((sum, other) => sum + g.measureText(other.label).width + 28, 0);
    g.fillStyle = s.colour;
    g.fillRect(legendX, 22, 10, 10);
    g.fillStyle = '#374151';
    g.fillText(s.label, legendX + 14, 31);
  });
}
