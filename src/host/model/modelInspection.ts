/**
 * One model class of one document, inspected on one input shape: the table Inspect Model returns
 * and the model view draws (src/core/insight/modelReport.ts), with what is needed to reveal a
 * row's line in its file.
 */
import * as vscode from 'vscode';
import { findModelClasses } from '../../core/model/modelClasses';
import { modelTable } from '../../core/insight/modelReport';
import type { ModelTable } from '../../core/protocol/model';
import { UserFacingError } from '../common/arguments';
import { uriBaseName } from '../common/uriName';
import { searchedMaxSide, type ModelService } from './modelService';

export interface ModelInspection {
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly className: string;
  readonly inputShape: readonly number[];
  readonly table: ModelTable;
  /** The URI of a file a row names ('' is the document). */
  readonly fileUri: (file: string) => vscode.Uri;
}

export async function inspectModel(
  models: ModelService,
  document: vscode.TextDocument,
  className: string,
  inputShape: readonly number[],
  inputSource: string,
): Promise<ModelInspection> {
  const version = document.version;
  const found = findModelClasses(document.getText()).find((c) => c.name === className);
  if (!found) throw new UserFacingError(`no model ${className} in ${uriBaseName(document.uri)} (a class …(nn.Module), or a Keras builder function or model variable).`);
  const { sources, answer } = await models.run(document, className, inputShape);
  if (!answer.trace) throw new Error('Layer Lens engine error: the worker answered a model without its trace');
  const table = modelTable(answer.analysis, answer.trace, answer.sizes, searchedMaxSide(inputShape.length - 2), {
    className,
    source: `${uriBaseName(document.uri)}:${found.line + 1}`,
    inputShape,
    inputSource,
    builtWith: answer.builtWith ?? null,
  });
  const fileUri = (file: string): vscode.Uri => (file === '' ? document.uri : (sources.uris.get(file) ?? document.uri));
  return { document, version, className, inputShape, table, fileUri };
}
