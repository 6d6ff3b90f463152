import { splitInlineCode } from '../report-view';

/** Text from a report definition, with its `backticked` settings and commands shown as code. */
export function InlineCodeText({ text }: { text: string }) {
  return (
    <>
      {splitInlineCode(text).map((part, i) => (part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>))}
    </>
  );
}
