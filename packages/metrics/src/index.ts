export { MetricInputError } from './errors.js';

export type { Label, MultilabelIndicator } from './functional/classification/targets.js';
export { accuracyScore } from './functional/classification/accuracyScore.js';
export {
  precisionRecallFscoreSupport,
  type Average,
  type ZeroDivision,
  type PrfOptions,
  type PrfAveraged,
  type PrfPerLabel,
} from './functional/classification/precisionRecallFscoreSupport.js';
export { precisionScore, recallScore, f1Score, fbetaScore } from './functional/classification/scores.js';
export { confusionMatrix, type ConfusionMatrixOptions } from './functional/classification/confusionMatrix.js';
export { multilabelConfusionMatrix, type MultilabelConfusionMatrixOptions } from './functional/classification/multilabelConfusionMatrix.js';
export { hammingLoss } from './functional/classification/hammingLoss.js';
export type { Scores } from './functional/classification/scoreTargets.js';
export { averagePrecisionScore, type AveragePrecisionOptions } from './functional/classification/averagePrecisionScore.js';
export { rocAucScore, type RocAucOptions } from './functional/classification/rocAucScore.js';

export { tokenize13a } from './functional/text/tokenize13a.js';
export {
  corpusBleu,
  sentenceBleu,
  type BleuOptions,
  type BleuScore,
  type BleuTokenize,
  type BleuSmoothMethod,
} from './functional/text/bleu.js';
export { nltkCorpusBleu, type NltkBleuOptions } from './functional/text/nltkBleu.js';

export type { Caption } from './functional/captioning/captions.js';
export { ciderD, type CiderResult } from './functional/captioning/cider.js';
export { rougeL, type RougeLResult } from './functional/captioning/rougeL.js';

export {
  retrievalScores,
  type RetrievalOptions,
  type RetrievalScores,
  type RetrievalDirectionScores,
} from './functional/retrieval/retrievalScores.js';

export type { CocoInput, CocoImage, CocoCategory, CocoAnnotation, CocoDetection, CocoBox } from './functional/detection/cocoFormat.js';
export { cocoEvaluate, type CocoEvaluation, type CocoCategoryScores } from './functional/detection/cocoEvaluate.js';
export { vocAp, type VocApOptions, type VocEvaluation, type VocClassScores } from './functional/detection/vocAp.js';

export { StreamingMetric, type StateReduction } from './streaming/streamingMetric.js';
export type { TensorLike, ArrayOrTensor } from './streaming/toArray.js';
export {
  StreamingClassificationMetrics,
  type StreamingClassificationOptions,
  type StreamingClassificationResult,
} from './streaming/streamingClassificationMetrics.js';
export { StreamingAveragePrecision, StreamingRocAuc } from './streaming/streamingRanking.js';
export { StreamingBleu } from './streaming/streamingBleu.js';
export { StreamingRetrieval, type StreamingRetrievalOptions, type RetrievalBatchIds } from './streaming/streamingRetrieval.js';
