// Renders a card picture off the main thread: an OffscreenCanvas, Canvas 2D
// (card-draw.ts), then PNG. Covers arrive decoded (ImageBitmaps, transferred).
import { PICTURE_SIZE, drawCard, type PictureData } from './card-draw';

self.onmessage = async (e: MessageEvent<PictureData>) => {
  const data = e.data;
  try {
    const { width, height } = PICTURE_SIZE[data.format];
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw pictures off the page.');
    drawCard(ctx, data);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    self.postMessage({ blob });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) });
  } finally {
    for (const t of data.tracks) t.cover?.close();
  }
};
