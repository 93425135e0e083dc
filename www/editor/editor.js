// The definition editor: CodeMirror 6 (line numbers, JSON highlighting, bracket matching,
// folding, search, undo) with a small glue the Rust page calls through `window.sfnsimEditor`.
// Bundled by esbuild (make editor) into target/editor/editor.js; trunk copies it into dist/.
import { EditorView, basicSetup } from 'codemirror';
import { EditorState, Compartment } from '@codemirror/state';
import { isolateHistory } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';

const theme = new Compartment();
const light = EditorView.theme({}, { dark: false });
const dark = EditorView.theme({
  '&': { color: '#e8eaed', backgroundColor: '#18191b' },
  '.cm-content': { caretColor: '#e8eaed' },
  '.cm-gutters': { backgroundColor: '#202124', color: '#9aa0a6', borderRight: '1px solid #3c4043' },
  '.cm-activeLine': { backgroundColor: '#ffffff0d' },
  '.cm-activeLineGutter': { backgroundColor: '#ffffff12' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#3a4a6a !important' },
}, { dark: true });
// JSON's colours: strings are not in the error red (the default style's), which the problems
// underline and list use; property names stand apart from string values.
const jsonColours = (dark) => HighlightStyle.define([
  { tag: tags.propertyName, color: dark ? '#8ab4f8' : '#1a57b8' },
  { tag: tags.string, color: dark ? '#81c995' : '#17733a' },
  { tag: tags.number, color: dark ? '#fdd663' : '#8a4b00' },
  { tag: [tags.bool, tags.null], color: dark ? '#d7aefb' : '#7b3fb5', fontWeight: '600' },
  { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], color: dark ? '#9aa0a6' : '#5f6368' },
]);
const lightColours = syntaxHighlighting(jsonColours(false));
const darkColours = syntaxHighlighting(jsonColours(true));
const scheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const current = () => (scheme && scheme.matches ? [dark, darkColours] : [light, lightColours]);

/**
 * Mounts an editor in `parent` with `text`; `onChange(text)` is called on every change the
 * user makes. Returns the handle the page keeps.
 */
function mount(parent, text, onChange, label) {
  let quiet = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        theme.of(current()),
        EditorState.tabSize.of(2),
        EditorView.contentAttributes.of({ 'aria-label': label, id: 'definition-editor-content' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !quiet) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  if (scheme) scheme.addEventListener('change', () => view.dispatch({ effects: theme.reconfigure(current()) }));
  const handle = {
    view,
    getText: () => view.state.doc.toString(),
    /** Replaces the text; `asUser` reports the change through onChange like typing would. */
    setText(t, asUser = false) {
      if (t === view.state.doc.toString()) return;
      quiet = !asUser;
      try {
        // Its own undo step (an example load, a restored link), never merged with typing.
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t }, annotations: isolateHistory.of('full') });
      } finally {
        quiet = false;
      }
    },
    /** [{from, to, severity: 'error' | 'warning', message}] in UTF-16 offsets. */
    setDiagnostics(list) {
      const len = view.state.doc.length;
      const clamp = (n) => Math.max(0, Math.min(len, n));
      const diags = list.map((d) => ({ ...d, from: clamp(d.from), to: Math.max(clamp(d.from), clamp(d.to)) }));
      view.dispatch(setDiagnostics(view.state, diags));
    },
    /** Moves the cursor to `pos` and shows it. */
    reveal(pos) {
      const p = Math.max(0, Math.min(view.state.doc.length, pos));
      view.dispatch({ selection: { anchor: p }, scrollIntoView: true });
      view.focus();
    },
    destroy: () => view.destroy(),
  };
  window.sfnsimEditor.current = handle;
  return handle;
}

window.sfnsimEditor = { mount, current: null };
