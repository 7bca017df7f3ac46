/**
 * The layout layer every Uplift PDF is written with: writer.ts (PdfWriter), the blocks it takes
 * (spec.ts), its page and type (style.ts), and the fonts and images it draws (assets.ts).
 */
export { COLOR, DRAFT_MARK, type HeadingLevel } from './style';
export {
  type Align,
  type Cell,
  type TableColumn,
  type TableSpec,
  type KeyValue,
  type KeyValueOptions,
  type Thumbnail,
  type SignatureEntry,
  type PdfSetup,
} from './spec';
export { PdfWriter } from './writer';
