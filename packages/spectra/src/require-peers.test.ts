import { describe, expect, it } from 'vitest';
import { IntrinsicError } from './errors.js';
import { requirePeers } from './require-peers.js';

describe('requirePeers', () => {
  const peers = { '@tensorflow/tfjs-core': '^4.22.0', '@tensorflow/tfjs-layers': '^4.22.0' };

  it('returns when every peer resolves', () => {
    expect(() => requirePeers('@x/y/tfjs', peers, (name) => `/node_modules/${name}/index.js`)).not.toThrow();
  });

  it('names every missing peer and one install command for all of them, on one line', () => {
    const resolve = (name: string) => {
      if (name.endsWith('layers')) throw new Error('not found');
      return name;
    };
    let error: unknown;
    try {
      requirePeers('@x/y/tfjs', peers, resolve);
    } catch (caught) {
      error = caught;
    }
    expect(IntrinsicError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      '@x/y/tfjs needs the TensorFlow.js peer dependencies @tensorflow/tfjs-core, @tensorflow/tfjs-layers; missing: @tensorflow/tfjs-layers. Install them: npm install @tensorflow/tfjs-core@^4.22.0 @tensorflow/tfjs-layers@^4.22.0',
    );
  });
});
