// Supercluster on the same points: build time, heap, and the same unfiltered viewports.
// usage: node supercluster.mjs points.f64 views.json out.json
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import Supercluster from "supercluster";

const [pointsFile, viewsFile, outFile] = process.argv.slice(2);
const raw = readFileSync(pointsFile);
const coords = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
const n = coords.length / 2;
const features = new Array(n);
for (let i = 0; i < n; i++) {
  features[i] = {
    type: "Feature",
    properties: { id: i + 1 },
    geometry: { type: "Point", coordinates: [coords[2 * i], coords[2 * i + 1]] },
  };
}
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const index = new Supercluster({ radius: 40, maxZoom: 16 }).load(features);
const buildMs = performance.now() - started;
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

const views = JSON.parse(readFileSync(viewsFile, "utf8"));
const runs = views.runs;
// Heap after loading holds the points supercluster keeps (it needs them) and its trees.
const out = {
  n,
  build_s: buildMs / 1000,
  heap_bytes: heapAfter,
  index_bytes: heapAfter - heapBefore,
  zooms: {},
};
for (const [zoom, boxes] of Object.entries(views.zooms)) {
  const samples = [];
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const [w, s, e, nn] = boxes[i % boxes.length];
    const t = performance.now();
    const clusters = index.getClusters([w, s, e, nn], Number(zoom));
    samples.push(performance.now() - t);
    if (i === 0) total = clusters.reduce((sum, c) => sum + (c.properties.point_count || 1), 0);
  }
  samples.sort((a, b) => a - b);
  const pick = (q) => samples[Math.min(samples.length - 1, Math.round((q / 100) * (samples.length - 1)))];
  out.zooms[zoom] = { p50_ms: pick(50), p99_ms: pick(99), runs, first_total: total };
}
writeFileSync(outFile, JSON.stringify(out));
