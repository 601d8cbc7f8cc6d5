// Real and user data sets (pure TypeScript; file access through node: modules loaded on demand).
export { downsampleImages, type DownsampleOptions } from './downsample-images.js';
export { applyNormalization, normalizationStatistics, NORMALIZATIONS, type Normalization, type NormalizationStatistics } from './normalize-inputs.js';
export { imageClassificationSplit, type DatasetSplit, type ImageDataOptions, type ImagePool } from './image-classification-split.js';
export { loadMnist, mnistPoolFromDigitArrays, type MnistOptions } from './mnist.js';
export { FASHION_MNIST_DIRECTORY, idxImagePool, loadFashionMnist, type FashionMnistOptions } from './fashion-mnist.js';
export { gunzipIfNeeded, parseIdx, readIdxFile, type IdxArray } from './idx.js';
export { parseCsvDataset, parseJsonDataset, readDatasetFile, type CsvOptions, type TabularTargetOptions } from './tabular-dataset.js';
export { withLabelNoise, type LabelNoiseOptions } from './label-noise.js';
export { teacherDataset, type TeacherOptions } from './teacher-dataset.js';
