import { MetricInputError } from '../../errors.js';
import { describe } from '../../util/validate.js';

/** A box as COCO stores it: `[x, y, width, height]`, top-left corner first. */
export type CocoBox = readonly [number, number, number, number] | readonly number[];

export interface CocoImage {
  id: number;
}

export interface CocoCategory {
  id: number;
  name?: string;
}

/** A ground-truth annotation in COCO format. */
export interface CocoAnnotation {
  image_id: number;
  category_id: number;
  bbox: CocoBox;
  /** Region area used for the small / medium / large ranges. Default: width × height. */
  area?: number;
  /** Crowd region: matched without counting, IoU is intersection over detection area. Default 0. */
  iscrowd?: number | boolean;
  /** PASCAL VOC "difficult" flag, used by `vocAp` (neither counted nor penalised). */
  difficult?: boolean | number;
  id?: number;
}

/** A detection in the COCO results format. */
export interface CocoDetection {
  image_id: number;
  category_id: number;
  bbox: CocoBox;
  score: number;
}

export interface CocoInput {
  images: readonly CocoImage[];
  categories: readonly CocoCategory[];
  annotations: readonly CocoAnnotation[];
  detections: readonly CocoDetection[];
}

/** Validated input: image and category indices in ascending id order, boxes checked. */
export interface IndexedInput {
  imageIds: number[];
  categoryIds: number[];
  gts: { image: number; category: number; box: number[]; area: number; crowd: boolean; difficult: boolean }[];
  dts: { image: number; category: number; box: number[]; area: number; score: number; index: number }[];
}

function checkBox(box: unknown, argument: string): number[] {
  if (!Array.isArray(box) || box.length !== 4) throw new MetricInputError(argument, `expected [x, y, width, height], got ${describe(box)}`);
  box.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new MetricInputError(`${argument}[${i}]`, `expected a finite number, got ${describe(v)}`);
  });
  if (box[2] < 0 || box[3] < 0) throw new MetricInputError(argument, `expected a non-negative width and height, got ${box[2]} × ${box[3]}`);
  return box as number[];
}

function idIndex(items: unknown, argument: string): { ids: number[]; index: Map<number, number> } {
  if (!Array.isArray(items)) throw new MetricInputError(argument, `expected an array, got ${describe(items)}`);
  const ids = items.map((item, i) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isFinite(id)) throw new MetricInputError(`${argument}[${i}].id`, `expected a number, got ${describe(id)}`);
    return id;
  });
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  return { ids: sorted, index: new Map(sorted.map((id, i) => [id, i])) };
}

/** Checks COCO-format input: known image and category ids, finite non-negative boxes, finite scores. */
export function indexCocoInput(input: CocoInput): IndexedInput {
  if (input == null || typeof input !== 'object') throw new MetricInputError('input', `expected { images, categories, annotations, detections }, got ${describe(input)}`);
  const images = idIndex(input.images, 'images');
  const categories = idIndex(input.categories, 'categories');
  if (images.ids.length === 0) throw new MetricInputError('images', 'expected at least one image');
  if (categories.ids.length === 0) throw new MetricInputError('categories', 'expected at least one category');
  const lookup = (value: unknown, map: Map<number, number>, argument: string, what: string): number => {
    const i = typeof value === 'number' ? map.get(value) : undefined;
    if (i === undefined) throw new MetricInputError(argument, `${describe(value)} is not the id of any entry in ${what}`);
    return i;
  };
  if (!Array.isArray(input.annotations)) throw new MetricInputError('annotations', `expected an array, got ${describe(input.annotations)}`);
  if (!Array.isArray(input.detections)) throw new MetricInputError('detections', `expected an array, got ${describe(input.detections)}`);
  const gts = input.annotations.map((a, i) => {
    const arg = `annotations[${i}]`;
    const box = checkBox(a?.bbox, `${arg}.bbox`);
    const area = a.area ?? box[2] * box[3];
    if (typeof area !== 'number' || !(area >= 0)) throw new MetricInputError(`${arg}.area`, `expected a number >= 0, got ${describe(area)}`);
    return {
      image: lookup(a.image_id, images.index, `${arg}.image_id`, 'images'),
      category: lookup(a.category_id, categories.index, `${arg}.category_id`, 'categories'),
      box,
      area,
      crowd: Boolean(a.iscrowd),
      difficult: Boolean(a.difficult),
    };
  });
  const dts = input.detections.map((d, i) => {
    const arg = `detections[${i}]`;
    const box = checkBox(d?.bbox, `${arg}.bbox`);
    if (typeof d.score !== 'number' || !Number.isFinite(d.score)) throw new MetricInputError(`${arg}.score`, `expected a finite number, got ${describe(d.score)}`);
    return {
      image: lookup(d.image_id, images.index, `${arg}.image_id`, 'images'),
      category: lookup(d.category_id, categories.index, `${arg}.category_id`, 'categories'),
      box,
      area: box[2] * box[3],
      score: d.score,
      index: i,
    };
  });
  return { imageIds: images.ids, categoryIds: categories.ids, gts, dts };
}

/**
 * IoU of two `[x, y, w, h]` boxes as pycocotools' `bbIou`: intersection over
 * union, or over the detection's area when the ground truth is a crowd region.
 */
export function boxIou(d: readonly number[], g: readonly number[], crowd: boolean): number {
  const w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
  if (w <= 0) return 0;
  const h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
  if (h <= 0) return 0;
  const i = w * h;
  const da = d[2] * d[3];
  const u = crowd ? da : da + g[2] * g[3] - i;
  return i / u;
}
