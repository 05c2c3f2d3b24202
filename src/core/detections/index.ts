/** Detections as code: the file format, packs, published queries and alerts, and detection tests. */
export { readBuiltinDetections, builtinDetectionsDirectory } from './builtin';
export { combineDetections, packFiles, readPackFile, readPacks, readPackText } from './packs';
export { expandParameters, parameterLiteral, placeholders, stringLiteral } from './parameters';
export { ALERT_OPERATOR_SPELLINGS, alertOperator, applyAlert } from './alert';
export { runDetectionTests, untested, type DetectionTestEngine, type DetectionTestKind, type DetectionTestResult } from './tests';
export { applyParameterOverrides, checkedValue, declaredParameter, detectionNamed, parsedValue, withParameterValues, type ParameterOverrides } from './overrides';
