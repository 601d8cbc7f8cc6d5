import { createRequire } from 'node:module';
import { requirePeers as requirePeersWith } from '@intrinsic/spectra';

/** ESM resolution (what the static imports will do); `require.resolve` where a loader lacks `import.meta.resolve`. */
function resolveFromHere(specifier: string): string {
  return typeof import.meta.resolve === 'function' ? import.meta.resolve(specifier) : createRequire(import.meta.url).resolve(specifier);
}

/**
 * `requirePeers` of `@intrinsic/spectra`, resolving from this package (the TensorFlow.js packages ship a
 * CommonJS `main`, so both resolvers find the same file). Called first by the generated Node entry of the
 * tfjs subpath (`dist/tfjs/node.js`).
 * @throws UnsupportedError naming every missing peer and the command that installs them all.
 */
export function requirePeers(subpath: string, peers: Record<string, string>, resolve: (specifier: string) => string = resolveFromHere): void {
  requirePeersWith(subpath, peers, resolve);
}
