/**
 * Draws the add-in icons into assets/: a rounded green square with a white bar chart standing on a base line.
 *
 *   tsx scripts/make-icons.ts
 *
 * Shapes are described in a 0..1 unit square and rasterised with 4x4 supersampling, so every size has smooth
 * anti-aliased edges. Writes icon-16/32/64/80/128.png (manifest and ribbon) and logo-filled.png (300 px, for the pane).
 */
import fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

type Rgb = readonly [number, number, number];

const GREEN: Rgb = [0x10, 0x7c, 0x41]; // Excel-like green
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** Is the point inside a rectangle with rounded corners? All values in unit coordinates. */
function inRoundedRect(
  x: number,
  y: number,
  left: number,
  top: number,
  right: number,
  bottom: number,
  r: number
): boolean {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Bars of the chart: x range and top edge; all stand on the base line. */
const BARS = [
  { left: 0.24, right: 0.36, top: 0.52 },
  { left: 0.44, right: 0.56, top: 0.36 },
  { left: 0.64, right: 0.76, top: 0.22 },
];
const BASE = { left: 0.2, right: 0.8, top: 0.74, bottom: 0.8 };

/** Rounds a unit coordinate to the pixel grid of the given size, so that small icons stay crisp. */
function snap(v: number, size: number): number {
  return Math.round(v * size) / size;
}

/** Colour of one unit-square point: undefined outside the tile. */
function shade(x: number, y: number, size: number): Rgb | undefined {
  if (!inRoundedRect(x, y, 0, 0, 1, 1, 0.2)) return undefined;
  const s = (v: number) => snap(v, size);
  // Below 64 px a rounded bar top is a blur of one pixel: keep the bars square there.
  const barRadius = size < 64 ? 0 : 0.03;
  for (const bar of BARS) {
    if (inRoundedRect(x, y, s(bar.left), s(bar.top), s(bar.right), s(BASE.bottom), barRadius)) return WHITE;
  }
  if (inRoundedRect(x, y, s(BASE.left), s(BASE.top), s(BASE.right), s(BASE.bottom), size < 64 ? 0 : 0.015)) {
    return WHITE;
  }
  return GREEN;
}

const SAMPLES = 4;

function drawIcon(size: number): PNG {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = shade((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size, size);
          if (colour === undefined) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const i = (py * size + px) * 4;
      // Colour is averaged over the covered samples only (straight alpha), coverage becomes alpha.
      png.data[i] = covered ? Math.round(r / covered) : 0;
      png.data[i + 1] = covered ? Math.round(g / covered) : 0;
      png.data[i + 2] = covered ? Math.round(b / covered) : 0;
      png.data[i + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return png;
}

const assetsDir = path.resolve(__dirname, "..", "assets");
const outputs: Array<[file: string, size: number]> = [
  ["icon-16.png", 16],
  ["icon-32.png", 32],
  ["icon-64.png", 64],
  ["icon-80.png", 80],
  ["icon-128.png", 128],
  ["logo-filled.png", 300],
];

fs.mkdirSync(assetsDir, { recursive: true });
for (const [file, size] of outputs) {
  fs.writeFileSync(path.join(assetsDir, file), PNG.sync.write(drawIcon(size)));
  console.log(`assets/${file} (${size}x${size})`);
}
