/**
 * A baseline TIFF encoder (uncompressed RGB, 8 bits per sample) with the resolution tags set, so a
 * journal's upload checker reads the intended dpi. Pure: RGBA pixels in, file bytes out.
 */
export function encodeTiff(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  dpi: number,
): Uint8Array {
  if (rgba.length !== width * height * 4)
    throw new RangeError('pixel buffer does not match width × height × 4');
  const pixelBytes = width * height * 3;
  const entries = 12;
  const ifdOffset = 8;
  const ifdSize = 2 + entries * 12 + 4;
  const bitsOffset = ifdOffset + ifdSize;
  const xResOffset = bitsOffset + 6;
  const yResOffset = xResOffset + 8;
  const dataOffset = yResOffset + 8;
  const out = new Uint8Array(dataOffset + pixelBytes);
  const view = new DataView(out.buffer);
  out[0] = 0x49; // "II": little-endian
  out[1] = 0x49;
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, entries, true);
  let p = ifdOffset + 2;
  const entry = (tag: number, type: number, count: number, value: number) => {
    view.setUint16(p, tag, true);
    view.setUint16(p + 2, type, true);
    view.setUint32(p + 4, count, true);
    if (type === 3 && count === 1) view.setUint16(p + 8, value, true);
    else view.setUint32(p + 8, value, true);
    p += 12;
  };
  const SHORT = 3;
  const LONG = 4;
  const RATIONAL = 5;
  entry(256, LONG, 1, width); // ImageWidth
  entry(257, LONG, 1, height); // ImageLength
  entry(258, SHORT, 3, bitsOffset); // BitsPerSample 8,8,8
  entry(259, SHORT, 1, 1); // Compression: none
  entry(262, SHORT, 1, 2); // Photometric: RGB
  entry(273, LONG, 1, dataOffset); // StripOffsets
  entry(277, SHORT, 1, 3); // SamplesPerPixel
  entry(278, LONG, 1, height); // RowsPerStrip
  entry(279, LONG, 1, pixelBytes); // StripByteCounts
  entry(282, RATIONAL, 1, xResOffset); // XResolution
  entry(283, RATIONAL, 1, yResOffset); // YResolution
  entry(296, SHORT, 1, 2); // ResolutionUnit: inch
  view.setUint32(p, 0, true); // no next IFD
  for (let i = 0; i < 3; i++) view.setUint16(bitsOffset + i * 2, 8, true);
  view.setUint32(xResOffset, Math.round(dpi), true);
  view.setUint32(xResOffset + 4, 1, true);
  view.setUint32(yResOffset, Math.round(dpi), true);
  view.setUint32(yResOffset + 4, 1, true);
  // Alpha is composited onto white: figures go on paper.
  for (let i = 0, o = dataOffset; i < width * height; i++, o += 3) {
    const a = rgba[i * 4 + 3]! / 255;
    out[o] = Math.round(rgba[i * 4]! * a + 255 * (1 - a));
    out[o + 1] = Math.round(rgba[i * 4 + 1]! * a + 255 * (1 - a));
    out[o + 2] = Math.round(rgba[i * 4 + 2]! * a + 255 * (1 - a));
  }
  return out;
}
