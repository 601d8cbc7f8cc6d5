import type { ImagePool } from '@intrinsic/models';
export const MNIST_ASSET_NAME: string;
export const MNIST_ASSET_SIDE: number;
export function encodeMnistAsset(images: ArrayLike<number>, labels: ArrayLike<number>, count: number, side: number): Uint8Array;
export function mnistPool8(): { images: Float64Array; labels: ImagePool['labels']; count: number; side: number; directory: string };
export function writeMnistAsset(publicDirectory: string): { target: string; written: boolean };
