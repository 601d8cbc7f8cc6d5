// The TensorFlow.js engine of @intrinsic/models (subpath `@intrinsic/models/tfjs`). Needs the peer
// dependencies @tensorflow/tfjs-core and @tensorflow/tfjs-layers; the app picks the backend.
export { registerTfjsGradients } from './register-gradients.js';
export { backendOrder, selectBackend, TFJS_BACKENDS, type BackendLoader, type BackendSelection, type SelectBackendOptions, type TfjsBackendName } from './select-backend.js';
export { activationTensor, lossSumTensor, mlpOutputsTensor, parametersToTensors, splitParameterTensor, tensorsToParameters } from './mlp-tensors.js';
export { mlpToLayersModel } from './mlp-to-layers-model.js';
export { mlpFromLayersModel, SUPPORTED_TFJS_LAYERS, type ImportedMlp } from './mlp-from-layers-model.js';
export { directorySaveHandler, loadLayersModelFromFiles, loadMlpFromTfjsFiles, readTfjsModelArtifacts, TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE } from './tfjs-model-files.js';
export { checkSecondOrderSupport } from './second-order-support.js';
export { tfjsGgnOperator, tfjsHessianOperator, type TfjsCurvatureOperator, type TfjsCurvatureOptions } from './tfjs-hessian-operator.js';
export { evaluateMlpTfjs, trainMlpTfjs, type EpochRecord, type OptimizerState, type TfjsEvaluation, type TrainingState, type TrainMlpTfjsOptions, type TrainMlpTfjsResult } from './train-mlp-tfjs.js';
export { loadTrainingCheckpoint, OPTIMIZER_WEIGHTS_FILE, saveTrainingCheckpoint, TRAINING_STATE_FILE } from './training-checkpoint.js';
export { loadMlpModel, type LoadedMlpModel } from './load-mlp-model.js';
export { LocallyConnected1D, LocallyConnected2D, ZeroPadding1D, type LocallyConnectedArgs, type LocallyConnectedPadding } from './locally-connected-layer.js';
export { channelsLastShape, networkToLayersModel, parametersFromTfjsWeight, reorderChannels, tfjsWeightShape, tfjsWeightValues } from './network-to-layers-model.js';
export { networkFromLayers, networkFromLayersModel, SUPPORTED_NETWORK_LAYERS, type ImportedNetwork, type LayerDescription, type WeightSource } from './network-from-layers.js';
export { networkFromModelJson } from './network-model-json.js';
export { loadNetworkFromTfjsFiles, loadNetworkModel, type LoadedNetworkModel } from './network-model-files.js';
export { networkOutputsTensor, networkParametersToTensors, networkTensorPlan, type NetworkTensorPlan } from './network-tensors.js';
export { tfjsNetworkGgnOperator, tfjsNetworkHessianOperator, type TfjsNetworkCurvatureOptions } from './tfjs-network-hessian-operator.js';
export { windowPatchIndex, type WindowGeometry } from './window-patches.js';
