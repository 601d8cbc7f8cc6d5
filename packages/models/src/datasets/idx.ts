import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, InvalidArgumentError } from '@intrinsic/spectra';
import { nodeFsPromises, nodeZlib } from './node-modules.js';

/** An array read from an IDX file (the format of MNIST and Fashion-MNIST). */
export interface IdxArray {
  /** Sizes of the dimensions, outermost first (e.g. [N, 28, 28] for images, [N] for labels). */
  shape: number[];
  /** The values, row-major, as numbers of the file's type. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  /** The IDX type name. */
  type: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
}

const TYPES: Record<number, { type: IdxArray['type']; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

/**
 * Parses an IDX file (LeCun et al., the MNIST distribution format): magic 0x00 0x00 <type> <rank>,
 * then `rank` big-endian uint32 sizes, then the values big-endian and row-major.
 *
 * @param bytes - the file contents, already gunzipped (see {@link gunzipIfNeeded}).
 * @param name - the file name for messages.
 * @throws InvalidArgumentError for a wrong magic number, an unknown type code, a zero rank, a truncated
 * header or body, or trailing bytes.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw new InvalidArgumentError(`${name}: ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new InvalidArgumentError(`${name}: wrong magic number 0x${hex(bytes[0])}${hex(bytes[1])}${hex(bytes[2])}${hex(bytes[3])}, an IDX file starts with 0x0000`);
  }
  const info = TYPES[bytes[2]];
  if (!info) throw new InvalidArgumentError(`${name}: unknown IDX type code 0x${hex(bytes[2])}`);
  const rank = bytes[3];
  if (rank < 1) throw new InvalidArgumentError(`${name}: IDX rank is 0`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new InvalidArgumentError(`${name}: truncated IDX header (${bytes.length} bytes, needs ${headerBytes})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * info.bytes;
  // A declared shape larger than the bytes present is a truncated file (checked next); the element count is
  // bounded by the bytes read, so the typed array below is never larger than the file. Check the budget too.
  if (bytes.length >= expected) assertMemoryBudget(count, `${name}: IDX array of shape [${shape.join(', ')}]`);
  if (bytes.length < expected) throw new InvalidArgumentError(`${name}: truncated IDX body: ${bytes.length} bytes, shape [${shape.join(', ')}] needs ${expected}`);
  if (bytes.length > expected) throw new InvalidArgumentError(`${name}: ${bytes.length - expected} trailing bytes after the IDX body of shape [${shape.join(', ')}]`);
  let data: IdxArray['data'];
  switch (info.type) {
    case 'uint8':
      data = bytes.slice(headerBytes, expected);
      break;
    case 'int8':
      data = new Int8Array(bytes.slice(headerBytes, expected).buffer);
      break;
    case 'int16':
      data = Int16Array.from({ length: count }, (_, i) => view.getInt16(headerBytes + 2 * i, false));
      break;
    case 'int32':
      data = Int32Array.from({ length: count }, (_, i) => view.getInt32(headerBytes + 4 * i, false));
      break;
    case 'float32':
      data = Float32Array.from({ length: count }, (_, i) => view.getFloat32(headerBytes + 4 * i, false));
      break;
    default:
      data = Float64Array.from({ length: count }, (_, i) => view.getFloat64(headerBytes + 8 * i, false));
  }
  return { shape, data, type: info.type };
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

/**
 * Gunzips `bytes` when they start with the gzip magic 0x1f 0x8b (with `node:zlib`, loaded on demand),
 * otherwise returns them unchanged. The output is capped at `maxBytes` (default: the float64 memory
 * budget, 4 GiB), so a small "gzip bomb" is refused instead of exhausting memory.
 * @throws InvalidArgumentError for a corrupt or truncated gzip stream, or one that expands beyond `maxBytes`.
 */
export async function gunzipIfNeeded(bytes: Uint8Array, name = 'data', maxBytes = DEFAULT_MEMORY_BUDGET_BYTES): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const { gunzipSync } = await nodeZlib();
  // zlib's own ceiling (buffer.constants.MAX_LENGTH) is the hard upper limit of maxOutputLength.
  const limit = Math.min(maxBytes, 2 ** 32);
  try {
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: limit }));
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new InvalidArgumentError(`${name}: gzip data expands to more than ${limit} bytes, the limit for one file`);
    }
    throw new InvalidArgumentError(`${name}: corrupt gzip data (${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * Reads an IDX file from disk, gunzipping `.gz` (or any gzip-magic) contents.
 * @throws InvalidArgumentError when the file cannot be read or is malformed.
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  const { readFile } = await nodeFsPromises();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new InvalidArgumentError(`IDX file '${path}' cannot be read`);
  }
  return parseIdx(await gunzipIfNeeded(bytes, path), path);
}
