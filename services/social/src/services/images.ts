import { fileTypeFromBuffer } from 'file-type'

/** X accepts images up to 5 MB; the same limit serves Facebook. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
const accepted = new Set<string>(['image/png', 'image/jpeg', 'image/gif', 'image/webp'] satisfies ImageType[])

/** The image type the bytes really are, by their signature; null when they are not a supported image. */
export async function imageTypeOf(bytes: Buffer): Promise<ImageType | null> {
  const mime = (await fileTypeFromBuffer(bytes))?.mime
  // An animated PNG is still a PNG to the platforms.
  const type = mime === 'image/apng' ? 'image/png' : mime
  return type && accepted.has(type) ? (type as ImageType) : null
}
