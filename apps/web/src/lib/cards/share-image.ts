// The shared picture, on the device: covers are fetched and decoded here (an
// SVG cover can only be decoded by the page, not by a worker), then a worker
// paints and encodes the PNG on an OffscreenCanvas. Nothing leaves the device
// but the finished file, and only when the person shares it. Loaded lazily by
// the share button, so none of this is in the diary's first load.
import { PICTURE_SIZE, drawCard, type PictureData, type PictureTrack } from './card-draw';

export type { PictureData, PictureFormat, PictureTheme } from './card-draw';

/** A cover that is not drawn within this long is replaced by the generated artwork. */
const COVER_WAIT_MS = 2_500;
const COVER_PX = 300;

export interface PictureTrackSource extends Omit<PictureTrack, 'cover'> {
  coverUrl: string | null;
}

export type PictureRequest = Omit<PictureData, 'tracks'> & { tracks: PictureTrackSource[] };

async function decodeCover(url: string | null): Promise<ImageBitmap | null> {
  if (!url || !/^https?:/i.test(url)) return null;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), COVER_WAIT_MS);
  try {
    // fetched as data, never drawn from a cross-origin <img>: the canvas stays
    // untainted, so it can still become a PNG
    const res = await fetch(url, { mode: 'cors', credentials: 'omit', signal: abort.signal });
    if (!res.ok) return null;
    const blob = await res.blob();
    const size = { resizeWidth: COVER_PX, resizeHeight: COVER_PX, resizeQuality: 'high' } as const;
    try {
      return await createImageBitmap(blob, size);
    } catch {
      // SVG (the demo's covers): only an <img> decodes it
      const src = URL.createObjectURL(blob);
      try {
        const img = new Image(COVER_PX, COVER_PX);
        img.src = src;
        await img.decode();
        return await createImageBitmap(img, size);
      } finally {
        URL.revokeObjectURL(src);
      }
    }
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function inWorker(data: PictureData): Promise<Blob> {
  const worker = new Worker(new URL('./share.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<Blob>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ blob?: Blob; error?: string }>) => {
      worker.terminate();
      if (e.data.blob) resolve(e.data.blob);
      else reject(new Error(e.data.error ?? 'The picture could not be made.'));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'The picture could not be made.'));
    };
    const covers = data.tracks.flatMap((t) => (t.cover ? [t.cover] : []));
    worker.postMessage(data, covers);
  });
}

function onPage(data: PictureData): Promise<Blob> {
  const { width, height } = PICTURE_SIZE[data.format];
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('This browser cannot draw pictures.'));
  drawCard(ctx, data);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('The picture could not be made.'))),
      'image/png',
    ),
  );
}

/** The card as a PNG of PICTURE_SIZE[format]: off the main thread where the platform allows. */
export async function renderPicture(req: PictureRequest): Promise<Blob> {
  const covers = await Promise.all(req.tracks.map((t) => decodeCover(t.coverUrl)));
  const data: PictureData = {
    ...req,
    tracks: req.tracks.map(({ coverUrl: _, ...t }, i) => ({ ...t, cover: covers[i] ?? null })),
  };
  const offscreen = typeof OffscreenCanvas !== 'undefined' && typeof Worker !== 'undefined';
  return offscreen ? inWorker(data) : onPage(data);
}

export type ShareOutcome = 'shared' | 'downloaded' | 'cancelled';

/**
 * Hands the picture to the phone's share sheet (Web Share API with files)
 * where there is one, and downloads it elsewhere.
 */
export async function sharePicture(
  blob: Blob,
  fileName: string,
  title: string,
): Promise<ShareOutcome> {
  const file = new File([blob], fileName, { type: 'image/png' });
  if (typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title });
      return 'shared';
    } catch (err) {
      // the person closed the share sheet: nothing to do
      if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
      // any other refusal (no user activation left after the drawing): download instead
    }
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'downloaded';
}
