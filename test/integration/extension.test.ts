import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Layer Lens extension', () => {
  it('is loaded under development in a real VS Code', async () => {
    const extension = vscode.extensions.getExtension('layer-lens.layer-lens');
    assert.ok(extension, 'extension layer-lens.layer-lens is not installed');
    assert.match(vscode.version, /^1\.\d+\.\d+/);
  });
});
