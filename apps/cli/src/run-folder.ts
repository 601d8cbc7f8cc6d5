import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parameterLayout, type Dataset, type MlpSpec } from '@intrinsic/models';
import { UsageError } from './cli-error.js';

/**
 * Parses the text of a run-folder JSON file (spec.json, params.json, data.json, result.json, points/*.json)
 * that must hold an object. `where` names the file in the message.
 * @throws UsageError, one line: not valid JSON (with the parser's position), or not an object.
 */
export function parseRunJson(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0].slice(0, 120);
    throw new UsageError(`${where}: not valid JSON (${reason}); the run folder is damaged or was not written by intrinsic`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: must hold a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads `name` from the run folder `directory` with {@link parseRunJson}.
 * @throws UsageError, one line, when the file cannot be read, is not JSON or is not an object.
 */
export function readRunJson(directory: string, name: string): Record<string, unknown> {
  const path = join(directory, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseRunJson(text, path);
}

/** Writes a file atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function rows(values: Float64Array, columns: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += columns) out.push(Array.from(values.subarray(i, i + columns)));
  return out;
}

/** JSON of the parameters: per-layer named arrays with shapes, the flat order, and the flat vector. */
export function parametersJson(spec: MlpSpec, params: Float64Array): object {
  const layout = parameterLayout(spec);
  return {
    layout: 'flat vector = concatenation, layer by layer, of W_l (shape [out, in], row-major) then b_l',
    order: layout.views.map((v) => v.name),
    size: layout.size,
    arrays: Object.fromEntries(
      layout.views.map((v) => [
        v.name,
        { shape: v.shape, offset: v.offset, values: v.shape.length === 2 ? rows(params.subarray(v.offset, v.offset + v.size), v.shape[1]) : Array.from(params.subarray(v.offset, v.offset + v.size)) },
      ]),
    ),
    flat: Array.from(params),
  };
}

/** JSON of a data set: inputs N × d, targets N × K, labels when present. */
export function dataJson(data: Dataset): object {
  return {
    description: data.description,
    count: data.count,
    inputSize: data.inputSize,
    outputSize: data.outputSize,
    inputs: rows(data.inputs, data.inputSize),
    targets: rows(data.targets, data.outputSize),
    ...(data.labels ? { labels: Array.from(data.labels) } : {}),
  };
}

/**
 * Saves a run folder (ARCHITECTURE.md "A run folder"): spec.json, params.json, data.json, result.json and
 * any extra files, each written atomically.
 */
export function saveRunFolder(directory: string, files: Record<string, unknown>): string[] {
  mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(directory, name);
    writeFileAtomic(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    written.push(path);
  }
  return written;
}
