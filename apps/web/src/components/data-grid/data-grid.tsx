import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { columnResizingFeature, columnSizingFeature, tableFeatures, useTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Cell, ColumnInfo } from '@access-monitor/contracts';
import { isNumericType } from '../data-table';
import { SESSION_ID_COLUMNS } from '../../lib/session-player';
import { formatCount } from '../number-format';
import { PlayInTeleportLink } from '../play-in-teleport-link';
import { ProblemPanel, toProblem } from '../problem-panel';
import { Timestamp } from '../timestamp';
import { cellText, copyText, jsonOf, rowText } from './cell-text';
import { JsonViewer } from './json-viewer';
import { PageCache, type FetchPage } from './page-cache';

const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 35;
const MAX_HEIGHT = 560;
const TIMESTAMP_TYPE = /^timestamp/i;

const features = tableFeatures({ columnSizingFeature, columnResizingFeature });
type GridRow = readonly Cell[];
const NO_ROWS: GridRow[] = [];

export interface DataGridProps {
  columns: readonly ColumnInfo[];
  totalRows: number;
  /** Reads `limit` rows from `offset`; called as rows scroll into view. */
  fetchPage: FetchPage;
  /** Identifies the result: a new key starts a new page cache. */
  resultKey: string;
  label: string;
  testId?: string;
  /** Rows per fetched page, and how many pages are kept (rows in memory ≤ pageSize × maxPages). */
  pageSize?: number;
  maxPages?: number;
}

interface Active {
  row: number;
  col: number;
}

/**
 * A server-paged result of any size: rows are virtualized (only the visible ones are in the DOM) and fetched a page
 * at a time into a bounded cache, so a million rows scroll with bounded memory. Columns resize by dragging or with
 * the arrow keys on their edge. Arrow keys move the active cell; Ctrl/Cmd+C copies it, Ctrl/Cmd+Shift+C its row,
 * Enter opens a JSON cell (`event_data`) pretty-printed.
 */
export function DataGrid({ columns, totalRows, fetchPage, resultKey, label, testId, pageSize = 200, maxPages = 20 }: DataGridProps) {
  const gridId = useId();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- one cache per result; fetchPage follows the key
  const cache = useMemo(() => new PageCache(fetchPage, pageSize, maxPages), [resultKey, pageSize, maxPages]);
  useEffect(() => () => cache.dispose(), [cache]);
  useSyncExternalStore(cache.subscribe, () => cache.version);

  const columnDefs = useMemo<ColumnDef<typeof features, GridRow>[]>(
    () => columns.map((c, i) => ({ id: String(i), header: c.name, size: initialWidth(c), minSize: 60, maxSize: 1200 })),
    [columns],
  );
  const table = useTable({ features, columns: columnDefs, data: NO_ROWS, columnResizeMode: 'onChange', enableColumnResizing: true });
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const width = table.getTotalSize();

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: totalRows, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => cache.ensure(first, last), [cache, first, last]);

  const [active, setActive] = useState<Active>();
  const [viewing, setViewing] = useState<{ row: number; col: number; value: unknown }>();
  const [copied, setCopied] = useState('');

  const activeValue = active ? cache.row(active.row)?.[active.col] : undefined;
  const activeJson = activeValue === undefined ? undefined : jsonOf(activeValue);
  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;

  const move = (next: Active) => {
    const row = Math.max(0, Math.min(totalRows - 1, next.row));
    const col = Math.max(0, Math.min(columns.length - 1, next.col));
    setActive({ row, col });
    virtualizer.scrollToIndex(row, { align: 'auto' });
  };

  const copy = async (what: 'cell' | 'row') => {
    if (!active) return;
    const row = cache.row(active.row);
    if (!row) return;
    const text = what === 'cell' ? cellText(row[active.col] ?? null, columns[active.col]?.type) : rowText(row, columns.map((c) => c.type));
    const ok = await copyText(text);
    setCopied(ok ? `Copied the ${what === 'cell' ? `value of ${columns[active.col]?.name ?? 'the cell'}` : `row ${formatCount(active.row + 1)}`}` : 'Copying is not allowed here');
  };

  const openJson = (row: number, col: number) => {
    const value = jsonOf(cache.row(row)?.[col] ?? null);
    if (value !== undefined) setViewing({ row, col, value });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || totalRows === 0) return;
    const at = active ?? { row: first, col: 0 };
    const page = Math.max(1, items.length - 2);
    const mod = event.ctrlKey || event.metaKey;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move({ ...at, row: at.row + 1 }),
      ArrowUp: () => move({ ...at, row: at.row - 1 }),
      ArrowRight: () => move({ ...at, col: at.col + 1 }),
      ArrowLeft: () => move({ ...at, col: at.col - 1 }),
      PageDown: () => move({ ...at, row: at.row + page }),
      PageUp: () => move({ ...at, row: at.row - page }),
      Home: () => move(mod ? { row: 0, col: 0 } : { ...at, col: 0 }),
      End: () => move(mod ? { row: totalRows - 1, col: at.col } : { ...at, col: columns.length - 1 }),
      Enter: () => (active ? openJson(active.row, active.col) : move(at)),
    };
    if (mod && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      void copy(event.shiftKey ? 'row' : 'cell');
      return;
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const failed = cache.error !== undefined;

  return (
    <div className="data-grid" data-testid={testId}>
      <div className="data-grid__bar" aria-label="Active cell">
        {active ? (
          <>
            <span className="data-grid__where" data-testid="grid-active-cell">
              Row {formatCount(active.row + 1)} · <code>{columns[active.col]?.name}</code>
            </span>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => void copy('cell')} data-testid="grid-copy-cell" title="Ctrl/Cmd+C">
              Copy cell
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => void copy('row')} data-testid="grid-copy-row" title="Ctrl/Cmd+Shift+C">
              Copy row
            </button>
            {activeJson !== undefined ? (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => openJson(active.row, active.col)} data-testid="grid-view-json" title="Enter">
                View JSON
              </button>
            ) : null}
          </>
        ) : (
          <span className="muted">Select a cell to copy it or its row; arrow keys move, Enter opens JSON.</span>
        )}
        <span className="data-grid__copied" role="status" data-testid="grid-copied">
          {copied}
        </span>
      </div>
      {failed ? <ProblemPanel problem={toProblem(cache.error)} testId="grid-problem" /> : null}
      <div
        ref={scrollRef}
        className="data-grid__scroll"
        role="grid"
        aria-label={label}
        aria-rowcount={totalRows + 1}
        aria-colcount={columns.length}
        aria-activedescendant={active ? cellId(active.row, active.col) : undefined}
        // As tall as the rows need, up to 560 px (and 60% of the window): a short result leaves no empty box.
        style={{ height: Math.min(MAX_HEIGHT, HEADER_HEIGHT + totalRows * ROW_HEIGHT + 2) }}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="data-grid__head" style={{ width }}>
          <div role="row" aria-rowindex={1} className="data-grid__row data-grid__row--head">
            {headers.map((header, i) => {
              const column = columns[i]!;
              return (
                <div
                  key={header.id}
                  role="columnheader"
                  aria-colindex={i + 1}
                  className={isNumericType(column.type) ? 'data-grid__cell data-grid__cell--head num' : 'data-grid__cell data-grid__cell--head'}
                  style={{ width: header.getSize() }}
                  title={`${column.name} (${column.type})`}
                >
                  <span className="data-grid__name">{column.name}</span>
                  <ColumnResizer
                    name={column.name}
                    size={header.getSize()}
                    resizing={header.column.getIsResizing()}
                    onPointerDown={header.getResizeHandler()}
                    onResize={(size) => table.setColumnSizing((sizes) => ({ ...sizes, [header.column.id]: Math.max(60, Math.min(1200, size)) }))}
                  />
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="data-grid__body" style={{ height: virtualizer.getTotalSize(), width }}>
          {items.map((item) => {
            const row = cache.row(item.index);
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className={item.index % 2 ? 'data-grid__row data-grid__row--odd' : 'data-grid__row'}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {headers.map((header, col) => {
                  const column = columns[col]!;
                  const value = row?.[col];
                  const isActive = active?.row === item.index && active.col === col;
                  const json = value === undefined ? undefined : jsonOf(value);
                  const numeric = isNumericType(column.type) || typeof value === 'number';
                  return (
                    <div
                      key={header.id}
                      id={cellId(item.index, col)}
                      role="gridcell"
                      aria-colindex={col + 1}
                      aria-selected={isActive}
                      className={`data-grid__cell${numeric ? ' num' : ''}${isActive ? ' data-grid__cell--active' : ''}`}
                      style={{ width: header.getSize() }}
                      onClick={() => setActive({ row: item.index, col })}
                      onDoubleClick={() => openJson(item.index, col)}
                    >
                      {row === undefined ? (
                        <span className="data-grid__loading" aria-label="Loading" />
                      ) : json !== undefined ? (
                        <>
                          <button
                            type="button"
                            className="data-grid__json-button"
                            tabIndex={-1}
                            aria-label={`View ${column.name} of row ${item.index + 1} as JSON`}
                            data-testid="grid-json-button"
                            onClick={(e) => {
                              e.stopPropagation();
                              setActive({ row: item.index, col });
                              openJson(item.index, col);
                            }}
                          >
                            {'{ }'}
                          </button>
                          <span className="data-grid__json-preview">{String(value)}</span>
                        </>
                      ) : (
                        <>
                          <CellValue value={value ?? null} type={column.type} />
                          {SESSION_ID_COLUMNS.includes(column.name) ? <PlayInTeleportLink sid={value} /> : null}
                        </>
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      {viewing ? (
        <JsonViewer
          title={`${columns[viewing.col]?.name ?? 'value'} · row ${formatCount(viewing.row + 1)}`}
          value={viewing.value}
          onClose={() => {
            setViewing(undefined);
            scrollRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

function CellValue({ value, type }: { value: Cell; type: string }) {
  if (value === null) return <span className="null">NULL</span>;
  if (typeof value === 'string' && TIMESTAMP_TYPE.test(type)) return <Timestamp value={value} />;
  return <>{String(value)}</>;
}

/** The column's right edge: drag it, or focus it and use the arrow keys. */
function ColumnResizer(props: { name: string; size: number; resizing: boolean; onPointerDown: (event: unknown) => void; onResize: (size: number) => void }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 50 : 10;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      event.stopPropagation();
      props.onResize(props.size + (event.key === 'ArrowRight' ? step : -step));
    }
  };
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${props.name}`}
      aria-valuenow={Math.round(props.size)}
      aria-valuemin={60}
      aria-valuemax={1200}
      tabIndex={0}
      className={props.resizing ? 'data-grid__resizer data-grid__resizer--active' : 'data-grid__resizer'}
      onMouseDown={props.onPointerDown}
      onTouchStart={props.onPointerDown}
      onKeyDown={onKeyDown}
      onClick={(e) => e.stopPropagation()}
    />
  );
}

/** A first width from the type and name: JSON and SQL text wide, numbers and dates narrow. */
function initialWidth(c: ColumnInfo): number {
  if (c.name === 'event_data') return 420;
  if (isNumericType(c.type)) return Math.max(100, c.name.length * 9 + 32);
  if (TIMESTAMP_TYPE.test(c.type)) return 200;
  return Math.max(140, Math.min(280, c.name.length * 9 + 40));
}
