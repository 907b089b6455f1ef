// Photos made small on the device before they are queued: a camera's 3–5 MB JPEG takes a
// minute on a weak kindergarten Wi-Fi, the same picture at 2048 px takes seconds and is
// still sharp on any screen. Orientation is applied (createImageBitmap 'from-image'), and
// the re-encoded JPEG carries no EXIF, so the location the camera wrote is gone too.
// HEIC (the browser cannot draw it everywhere), PNG and videos are sent as they are. The
// setting «Отправлять фото в исходном размере» (localStorage) keeps originals.

export const MAX_SIDE = 2048;
export const QUALITY = 0.85;
const KEEP = 'vsok.photos.original';

export function keepOriginals() {
  try {
    return localStorage.getItem(KEEP) === '1';
  } catch {
    return false;
  }
}

export function setKeepOriginals(on) {
  try {
    if (on) localStorage.setItem(KEEP, '1');
    else localStorage.removeItem(KEEP);
  } catch {
    /* storage blocked: the default (shrink) stays */
  }
}

function canvasOf(w, h) {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function encode(canvas) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', QUALITY),
  );
}

/** The file to send for a picked one: a shrunk JPEG for a JPEG/WebP photo, else itself. */
export async function shrinkPhoto(file) {
  if (!/^image\/(jpeg|webp)$/i.test(file.type || '') || keepOriginals()) return file;
  if (typeof createImageBitmap === 'undefined') return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file; // not decodable here: the server checks it
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = canvasOf(w, h);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, w, h);
    const blob = await encode(canvas);
    const name = file.name.replace(/\.(jpe?g|webp)$/i, '') + '.jpg';
    return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
  } catch {
    return file;
  } finally {
    bitmap.close?.();
  }
}
