import { ResultReader, type ResultReaderOptions } from './result-reader';
import type { ResultFileSource } from './result-file-source';

/** One ResultReader per result folder or prefix, so its row indexes are built once and shared. */
export class ResultReaders {
  private readonly readers = new Map<string, ResultReader>();

  constructor(
    private readonly options: ResultReaderOptions = {},
    private readonly capacity = 10_000,
  ) {}

  readerFor(key: string, source: () => ResultFileSource): ResultReader {
    let reader = this.readers.get(key);
    if (!reader) {
      reader = new ResultReader(source(), this.options);
      this.readers.set(key, reader);
      while (this.readers.size > this.capacity) this.readers.delete(this.readers.keys().next().value!);
    }
    return reader;
  }
}
