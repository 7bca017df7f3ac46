import sharp from 'sharp';

/**
 * Phone-like photos made in the test, deterministic per seed: sky, ground and buildings under
 * strong sensor noise. Noise is what JPEG compresses worst, so these print larger than most real
 * photos of a plant: a budget they meet, real photos meet with room to spare.
 */
export async function phonePhoto(
  seed: number,
  options: {
    width?: number;
    height?: number;
    /** EXIF orientation 1–8 (6: the phone was held upright, the pixels lie on their side). */
    orientation?: number;
    /** EXIF DateTimeOriginal, 'YYYY:MM:DD HH:mm:ss'. */
    takenAt?: string;
    /** Degrees, north and east positive. */
    gps?: { lat: number; lon: number };
  } = {},
): Promise<Buffer> {
  const width = options.width ?? 2400;
  const height = options.height ?? 1800;
  const raw = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .raw()
    .toBuffer();
  const span = 180 + (seed % 40);
  for (let y = 0; y < height; y++) {
    const t = y / height;
    const sky = t < 0.45;
    for (let x = 0; x < width; x++) {
      const building = !sky && t < 0.8 && (Math.floor(x / span) + seed) % 3 === 0;
      const [r, g, b] = sky
        ? [120 + t * 80, 160 + t * 40, 220 - t * 40]
        : building
          ? [150, 140, 130]
          : [90, 110, 70];
      const i = (y * width + x) * 3;
      raw[i] = r + ((raw[i] as number) - 128) * 0.8;
      raw[i + 1] = g + ((raw[i + 1] as number) - 128) * 0.8;
      raw[i + 2] = b + ((raw[i + 2] as number) - 128) * 0.8;
    }
  }
  const exif: Record<string, Record<string, string>> = { IFD0: { Make: 'Uplift test camera' } };
  if (options.takenAt) exif.IFD2 = { DateTimeOriginal: options.takenAt };
  if (options.gps) {
    const part = (deg: number) => {
      const a = Math.abs(deg);
      const d = Math.floor(a);
      const m = Math.floor((a - d) * 60);
      const s = Math.round(((a - d) * 60 - m) * 60 * 100);
      return `${d}/1 ${m}/1 ${s}/100`;
    };
    exif.IFD3 = {
      GPSLatitudeRef: options.gps.lat >= 0 ? 'N' : 'S',
      GPSLatitude: part(options.gps.lat),
      GPSLongitudeRef: options.gps.lon >= 0 ? 'E' : 'W',
      GPSLongitude: part(options.gps.lon),
    };
  }
  let out = sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .withExif(exif);
  if (options.orientation) out = out.withMetadata({ orientation: options.orientation });
  return out.toBuffer();
}

/** A small real photo padded after its end marker to exactly `size` bytes, as some cameras write. */
export async function photoOfSize(size: number): Promise<Buffer> {
  const photo = await sharp({
    create: { width: 64, height: 48, channels: 3, background: '#5a7d9a' },
  })
    .jpeg()
    .toBuffer();
  return Buffer.concat([photo, Buffer.alloc(size - photo.length, 0x20)]);
}
