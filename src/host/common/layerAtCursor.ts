/**
 * The layer call a command is about: the one at `{ uri, position }` when the arguments object names
 * a place, otherwise the one at the active editor's cursor. Shared by Inspect Layer, Show Overlap
 * Map and Solve for Size, read through the editor features' per-version analysis cache.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import { readEditorSettings } from './settings';
import type { LayerInsight } from '../../core/insight/layerInsight';
import { uriBaseName } from './uriName';
import { UserFacingError } from './arguments';
import { openUserDocument } from './userDocument';

/** A place in a document, as an arguments object gives it. */
export interface PlaceArgument {
  readonly uri: vscode.Uri;
  readonly position: vscode.Position;
}

/** `{ uri, position }` (a URI or its string; `{ line, character }`, 0-based), or undefined when neither is given. */
export function readPlaceArgument(record: Record<string, unknown>): PlaceArgument | undefined {
  const { uri, position } = record;
  if (uri === undefined && position === undefined) return undefined;
  const parsedUri = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? parseUri(uri) : undefined;
  if (!parsedUri) throw new UserFacingError('Argument "uri" must be the document\'s URI (a string such as "file:///…/model.py").');
  if (typeof position !== 'object' || position === null) throw new UserFacingError('Argument "position" must be { line, character } (0-based).');
  const { line, character } = position as { line?: unknown; character?: unknown };
  if (!isCount(line) || !isCount(character)) throw new UserFacingError('Argument "position" must be { line, character } with whole numbers of 0 or more (0-based).');
  return { uri: parsedUri, position: new vscode.Position(line, character) };
}

function parseUri(text: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(text, true);
  } catch {
    return undefined;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The document and offset a command is about: the given place, or the active editor's cursor. */
export async function placeOf(place: PlaceArgument | undefined, what: string): Promise<{ document: vscode.TextDocument; offset: number }> {
  if (place) {
    const document = await openUserDocument(place.uri, 'Layer Lens');
    return { document, offset: document.offsetAt(document.validatePosition(place.position)) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserFacingError(`No editor is active: open a file and put the cursor in ${what}.`);
  return { document: editor.document, offset: editor.document.offsetAt(editor.selection.active) };
}

/** The layer call at the place, analysed, or a message naming the place when there is none. */
export async function layerAt(analysis: DocumentAnalysis, place: PlaceArgument | undefined): Promise<{ document: vscode.TextDocument; insight: LayerInsight }> {
  const { document, offset } = await placeOf(place, 'a layer call such as nn.ConvTranspose2d(…)');
  const insight = analysis.layerAt(document, offset, readEditorSettings(document).layerInputSize);
  if (!insight) {
    const at = document.positionAt(offset);
    throw new UserFacingError(
      `There is no layer call at ${uriBaseName(document.uri)}, line ${at.line + 1}, column ${at.character + 1}: put the cursor in a call such as nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1).`,
    );
  }
  return { document, insight };
}

/** `model.py, line 12`, for messages. */
export function layerPlace(document: vscode.TextDocument, insight: LayerInsight): string {
  return `${uriBaseName(document.uri)}, line ${document.positionAt(insight.call.start).line + 1}`;
}
