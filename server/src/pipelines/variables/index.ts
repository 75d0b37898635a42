/**
 * Tekton variable substitution as a language: `$(...)` expressions found in the strings Tekton substitutes, mapped
 * to document offsets, parsed, checked against what is in scope, and served to the editor (completion, hover,
 * definition, references, rename). Offsets are relative to the resource (chunk) text.
 */
export { analyzeVariables } from './analysis';
export type { FieldContext, FieldKind, Occurrence, Region, VariableAnalysis } from './analysis';
export { checkVariables } from './check';
export { findVariables, partOf } from './expression';
export type { NamePart, PartRole, VariableKind, VariableRef } from './expression';
export type { Fix, FixableProblem, TextEdit } from './fixes';
export { scalarMap } from '../../document/scalarMap';
export type { ScalarMap } from '../../document/scalarMap';
export { specModel } from '../specModel';
export {
  findVariableDefinition,
  findVariableReferences,
  prepareRenameVariable,
  renameVariable,
  variableCompletions,
  variableHover,
} from './editing';
export type { ResolveTask, VariableCompletion, VariableHover } from './editing';
