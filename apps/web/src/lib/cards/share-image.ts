// The shared picture, on the device: covers are decoded here (only the page
// has <img>, which decodes every format, SVG included), then a worker
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

/**
 * Decodes a cover through an <img> asking for CORS: the app's CSP lets images
 * (img-src) come from the cover host but not fetches (connect-src), and an
 * image loaded with CORS leaves the canvas untainted, so it can still become
 * a PNG. An <img> also decodes SVG (the demo's covers), which
 * createImageBitmap on a Blob does not.
 */
async function decodeCover(url: string | null): Promise<ImageBitmap | null> {
  if (!url || !/^https?:/i.test(url)) return null;
  const img = new Image(COVER_PX, COVER_PX);
  img.crossOrigin = 'anonymous';
  img.decoding = 'async';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    img.src = url;
    await Promise.race([
      img.decode(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('cover too slow')), COVER_WAIT_MS);
      }),
    ]);
    return await createImageBitmap(img, {
      resizeWidth: COVER_PX,
      resizeHeight: COVER_PX,
      resizeQuality: 'high',
    });
  } catch {
    img.src = '';
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

export interface Picture {
  png: Blob;
  /** Covers drawn from their image; the others got the generated artwork. */
  covers: number;
}

/** The card as a PNG of PICTURE_SIZE[format]: off the main thread where the platform allows. */
export async function renderPicture(req: PictureRequest): Promise<Picture> {
  const covers = await Promise.all(req.tracks.map((t) => decodeCover(t.coverUrl)));
  const data: PictureData = {
    ...req,
    tracks: req.tracks.map(({ coverUrl: _, ...t }, i) => ({ ...t, cover: covers[i] ?? null })),
  };
  const offscreen = typeof OffscreenCanvas !== 'undefined' && typeof Worker !== 'undefined';
  const png = await (offscreen ? inWorker(data) : onPage(data));
  return { png, covers: covers.filter(Boolean).length };
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
