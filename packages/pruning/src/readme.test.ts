import { resolve } from 'node:path';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without types
import { runReadmeExample } from '../../../scripts/readme-example.mjs';

it('the README example prints what the README says', () => {
  const { expected, actual } = runReadmeExample(resolve(__dirname, '..'));
  expect(actual).toBe(expected);
});
