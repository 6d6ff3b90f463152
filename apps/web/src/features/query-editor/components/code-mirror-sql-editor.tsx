import { useEffect, useImperativeHandle, useRef } from 'react';
import { acceptCompletion, autocompletion, closeBrackets, closeBracketsKeymap, closeCompletion, completionKeymap, type CompletionSource } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { sql, StandardSQL } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { setDiagnostics } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder } from '@codemirror/view';
import type { AuditSchema } from '@access-monitor/contracts';
import { columnsInScope, functionCompletions, schemaNamespace } from '../sql-completions';
import { spacedForInsertion } from '../sql-position';
import type { SqlEditorProps } from './sql-editor';

/** Marks changes the editor received from its props, so they are not reported back as edits. */
const fromProps = Annotation.define<boolean>();

/**
 * The text with non-breaking spaces as plain spaces: Chromium's contenteditable puts U+00A0 in the document for some
 * typed spaces (and text copied from web pages carries them), and SQL tokenizers take them for part of a word. The
 * editor's own document keeps them (rewriting it while the browser types loses spaces); everything read from it is plain.
 */
const plain = (text: string): string => text.replaceAll('\u00a0', ' ');

const theme = EditorView.theme({
  '&': { fontSize: '0.9rem', border: '1px solid var(--border-strong)', borderRadius: 'var(--radius-sm)', background: '#fbfbfe' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55', minHeight: '180px', maxHeight: '460px' },
  '.cm-content': { padding: '8px 0' },
  '.cm-gutters': { background: 'var(--surface-muted)', color: 'var(--text-muted)', border: 'none', borderRight: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent)', color: '#fff' },
  '.cm-completionDetail': { marginLeft: '0.8em', fontStyle: 'normal', opacity: 0.75 },
});

/** Everything the editor knows about the schema: views and columns (lang-sql), unqualified columns and functions. */
function schemaExtensions(schema: AuditSchema | undefined) {
  if (!schema) return sql({ dialect: StandardSQL, upperCaseKeywords: true });
  const language = sql({ dialect: StandardSQL, upperCaseKeywords: true, schema: schemaNamespace(schema) });
  const functions = functionCompletions(schema);
  const extra: CompletionSource = (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    // After `view.` lang-sql offers that view's columns itself.
    if (context.state.sliceDoc(word.from - 1, word.from) === '.') return null;
    return { from: word.from, options: [...columnsInScope(schema, context.state.doc.toString()), ...functions], validFor: /^[\w]*$/ };
  };
  return [language, language.language.data.of({ autocomplete: extra })];
}

/** CodeMirror 6 over the SQL: highlighting, schema completion, Ctrl/Cmd+Enter runs (the selection if any). Loaded lazily. */
export default function CodeMirrorSqlEditor({ value, onChange, onRun, schema, diagnostic, labelledBy, describedBy, ref }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(null);
  const language = useRef(new Compartment());
  const attributes = useRef(new Compartment());
  // The latest callbacks, read by the editor's handlers (created once).
  const latest = useRef({ onChange, onRun });
  useEffect(() => {
    latest.current = { onChange, onRun };
  });

  useEffect(() => {
    const runKey = Prec.highest(
      keymap.of([
        {
          key: 'Mod-Enter',
          run: (v) => {
            const { from, to } = v.state.selection.main;
            closeCompletion(v);
            latest.current.onRun(from === to ? undefined : { sql: plain(v.state.sliceDoc(from, to)), from });
            return true;
          },
        },
        { key: 'Tab', run: acceptCompletion },
      ]),
    );
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ icons: true }),
          syntaxHighlighting(defaultHighlightStyle),
          runKey,
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
          placeholder('SELECT … FROM session_start'),
          EditorView.lineWrapping,
          // The CSP allows <style> only with the response's nonce; CodeMirror's generated styles carry it.
          EditorView.cspNonce.of(document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? ''),
          theme,
          language.current.of(schemaExtensions(undefined)),
          attributes.current.of([]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.every((t) => t.annotation(fromProps))) latest.current.onChange(plain(update.state.doc.toString()));
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Created once; value, schema and attributes are synchronised by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The text changed from outside (a link, back/forward, a reload of the saved revision): show it.
  useEffect(() => {
    const editor = view.current;
    if (!editor || plain(editor.state.doc.toString()) === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value }, annotations: fromProps.of(true) });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(schemaExtensions(schema)) });
  }, [schema]);

  useEffect(() => {
    const attrs: Record<string, string> = { 'data-testid': 'sql-input', 'aria-multiline': 'true', 'aria-labelledby': labelledBy, 'aria-invalid': String(diagnostic !== undefined) };
    if (describedBy) attrs['aria-describedby'] = describedBy;
    view.current?.dispatch({ effects: attributes.current.reconfigure(EditorView.contentAttributes.of(attrs)) });
  }, [labelledBy, describedBy, diagnostic]);

  // A server error with a position: underlined where it points, like a compiler's squiggle.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const diagnostics = diagnostic
      ? [{ from: Math.min(diagnostic.from, length), to: Math.min(Math.max(diagnostic.to, diagnostic.from + 1), length), severity: 'error' as const, message: diagnostic.message }]
      : [];
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [diagnostic, value]);

  useImperativeHandle(
    ref,
    () => ({
      focus: () => view.current?.focus(),
      insert: (text: string) => {
        const editor = view.current;
        if (!editor) return;
        const { from, to } = editor.state.selection.main;
        const insert = spacedForInsertion(text, editor.state.sliceDoc(0, from), editor.state.sliceDoc(to));
        editor.dispatch({ changes: { from, to, insert }, selection: { anchor: from + insert.length }, scrollIntoView: true });
        editor.focus();
      },
      select: (from: number, to: number) => {
        const editor = view.current;
        if (!editor) return;
        const length = editor.state.doc.length;
        editor.dispatch({ selection: { anchor: Math.min(from, length), head: Math.min(to, length) }, scrollIntoView: true });
        editor.focus();
      },
    }),
    [],
  );

  return <div ref={host} className="sql-editor__code" />;
}
