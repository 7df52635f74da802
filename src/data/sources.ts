import { access, readdir, readFile } from 'node:fs/promises'
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path'
import { AblateError } from '../errors.js'
import { parseCsv } from './csv.js'
import { DEFAULT_CONCURRENCY } from './pool.js'
import { type ProbeCandidate, probeImages, type SkippedImage } from './probe.js'

/** File extensions read as images (lower-cased): what sharp decodes among common photo formats. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
]

/** Where labelled images come from. Exactly one of `dir` or `csv`. */
export interface LabelledImagesOptions {
  /**
   * No default. A folder with one subfolder per class (searched recursively; hidden files and other
   * extensions ignored). Class names are the subfolder names, sorted by code unit as Keras does.
   */
  dir?: string
  /**
   * No default. A CSV of `path,label` rows; paths relative to the CSV's folder. A first row reading
   * `path,label` (any case, any column order) is a header; without it column 1 is the path and
   * column 2 the label. Fields may be double-quoted; further columns are ignored. A first row that
   * reads like another header (a path without an image extension that names no file, such as
   * `filename,class`) is an error asking for `path,label`.
   */
  csv?: string
  /**
   * Default: the CSV's labels, sorted (numerically when all are digits); for folders, the subfolder
   * names, sorted. When given, the list's order fixes the class indices (index = position); a CSV
   * label outside the list is an error, and so is a class folder outside it or a listed class
   * without a folder.
   */
  classNames?: string[]
  /** Default false. Skip missing or unreadable files (listed in `skipped`) instead of throwing. */
  skipUnreadable?: boolean
  /** Default 4. Files probed at once. */
  concurrency?: number
  /**
   * Default true. Check each file's header with sharp. False only lists the files (and skips
   * nothing): enough to fingerprint a data set by names and sizes, ~20x faster.
   */
  probe?: boolean
}

/** Labelled images ready to decode; `label` indexes `classNames`. Paths are absolute. */
export interface LabelledImages {
  items: { path: string; label: number }[]
  classNames: string[]
  skipped: SkippedImage[]
}

/** Unlabelled images for prediction. Paths are absolute and sorted. */
export interface UnlabelledImages {
  paths: string[]
  skipped: SkippedImage[]
}

interface Candidates {
  candidates: (ProbeCandidate & { label: number })[]
  classNames: string[]
}

/**
 * Lists labelled images from a class-folder tree or a CSV and checks each file's header. Throws
 * `ABLATE_DATA_INVALID` naming the folder, file or CSV line for: no source, an empty class, a
 * missing or unreadable file (unless `skipUnreadable`), a malformed row, a CSV header other than
 * `path,label`, an unknown label, a class folder outside `classNames` or a listed class without one.
 */
export async function loadLabelledImages(options: LabelledImagesOptions): Promise<LabelledImages> {
  if ((options.dir === undefined) === (options.csv === undefined)) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected exactly one of data.dir or data.csv, found ${describeSources(options)}. ` +
        'Give a class-folder tree as dir, or a path,label CSV as csv.',
    )
  }

  const listed = options.dir
    ? await listClassFolders({ dir: resolve(options.dir), classNames: options.classNames })
    : await readLabelCsv({
        csvPath: resolve(options.csv as string),
        classNames: options.classNames,
      })
  const { readable, skipped } =
    options.probe === false
      ? { readable: listed.candidates.map((_, i) => i), skipped: [] }
      : await probeImages({
          candidates: listed.candidates,
          skipUnreadable: options.skipUnreadable ?? false,
          concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        })

  const items = readable.map((i) => {
    const { path, label } = listed.candidates[i] as Candidates['candidates'][number]
    return { path, label }
  })
  requireEveryClass({ items, classNames: listed.classNames, source: options.dir ?? options.csv })
  return { items, classNames: listed.classNames, skipped }
}

/** Where unlabelled images come from, for {@link listUnlabelledImages}. */
export interface UnlabelledImagesOptions {
  /** No default. The folder of images to predict (searched recursively; hidden files ignored). */
  dir: string
  /** Default false. Skip unreadable files (listed in `skipped`) instead of throwing. */
  skipUnreadable?: boolean
  /** Default 4. Files probed at once. */
  concurrency?: number
  /**
   * Default true. Check each file's header with sharp. False only lists the files (and skips
   * nothing): enough to fingerprint the folder by names and contents.
   */
  probe?: boolean
}

/**
 * Lists the images of a folder without labels (searched recursively, sorted), checking each
 * header. Throws `ABLATE_DATA_INVALID` naming the folder or file for a missing folder, a folder
 * without images, or an unreadable file (unless `skipUnreadable`).
 */
export async function listUnlabelledImages(
  options: UnlabelledImagesOptions,
): Promise<UnlabelledImages> {
  const dir = resolve(options.dir)
  const files = await listImageFiles(dir).catch((cause: unknown) => {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected a readable folder of images to predict, found ${dir} unreadable or missing. ` +
        'Check data.predictDir (relative paths resolve against the working directory).',
      { cause },
    )
  })
  if (files.length === 0) throw noImagesError(dir, 'the folder')
  if (options.probe === false) return { paths: files, skipped: [] }

  const candidates = files.map((path) => ({ path, origin: `folder ${dir}` }))
  const { readable, skipped } = await probeImages({
    candidates,
    skipUnreadable: options.skipUnreadable ?? false,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
  })
  return { paths: readable.map((i) => files[i] as string), skipped }
}

async function listClassFolders(args: {
  dir: string
  classNames: string[] | undefined
}): Promise<Candidates> {
  const { dir } = args
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected data.dir to be a readable folder, found ${dir} unreadable or missing. ` +
        'Check the path (relative paths resolve against the working directory).',
      { cause },
    )
  })
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(compareCodeUnits)
  if (folders.length === 0) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected one subfolder per class in ${dir}, found none. Put each class's images in a ` +
        'subfolder named after the class (for unlabelled images use listUnlabelledImages).',
    )
  }
  const classNames = args.classNames ?? folders
  if (args.classNames) matchClassFolders({ dir, folders, classNames: args.classNames })

  const candidates: Candidates['candidates'] = []
  for (const [label, name] of classNames.entries()) {
    const files = await listImageFiles(join(dir, name))
    if (files.length === 0) throw noImagesError(join(dir, name), `class folder '${name}'`)
    for (const path of files) candidates.push({ path, label, origin: `class folder '${name}'` })
  }
  return { candidates, classNames }
}

/** Throws unless the class folders are exactly the given classes, naming the first odd folder. */
function matchClassFolders(args: { dir: string; folders: string[]; classNames: string[] }): void {
  const { dir, folders, classNames } = args
  const known = JSON.stringify(classNames)
  const extra = folders.find((name) => !classNames.includes(name))
  if (extra !== undefined) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected only the listed classes ${known} as class folders in ${dir}, found the folder ` +
        `${join(dir, extra)}. Add '${extra}' to the class list (data.classes) or move the folder out.`,
    )
  }
  const missing = classNames.find((name) => !folders.includes(name))
  if (missing !== undefined) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected a class folder ${join(dir, missing)} for the listed class '${missing}' of ` +
        `${known}, found none. Create the folder with its images or remove '${missing}' from the ` +
        'class list (data.classes).',
    )
  }
}

/** Image files under `dir`, recursively, sorted; hidden entries skipped. */
async function listImageFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !relativeHidden(dir, path))
    .filter((path) => IMAGE_EXTENSIONS.includes(extname(path).toLowerCase()))
    .sort(compareCodeUnits)
}

function relativeHidden(root: string, path: string): boolean {
  return relative(root, path)
    .split(sep)
    .some((part) => part.startsWith('.'))
}

async function readLabelCsv(args: {
  csvPath: string
  classNames: string[] | undefined
}): Promise<Candidates> {
  const { csvPath } = args
  const text = await readFile(csvPath, 'utf8').catch((cause: unknown) => {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected data.csv to be a readable file, found ${csvPath} unreadable or missing. ` +
        'Check the path (relative paths resolve against the working directory).',
      { cause },
    )
  })
  const records = parseCsv({ text, source: csvPath })
  const columns = findColumns(records[0]?.fields)
  if (!columns.header) await rejectOtherHeader({ first: records[0], csvPath })
  const rows = columns.header ? records.slice(1) : records
  if (rows.length === 0) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected at least one path,label row in ${csvPath}, found none. Add rows or fix the path.`,
    )
  }

  const parsed = rows.map((record, i) => parseRow({ record, row: i + 1, columns, csvPath }))
  const classNames = args.classNames ?? sortLabels(new Set(parsed.map((r) => r.label)))
  const candidates = parsed.map((r) => ({
    path: r.path,
    origin: r.origin,
    label: labelIndex({ label: r.label, classNames, origin: r.origin, given: !!args.classNames }),
  }))
  return { candidates, classNames }
}

interface Columns {
  header: boolean
  path: number
  label: number
}

function findColumns(first: string[] | undefined): Columns {
  const names = (first ?? []).map((f) => f.trim().toLowerCase())
  const path = names.indexOf('path')
  const label = names.indexOf('label')
  return path >= 0 && label >= 0
    ? { header: true, path, label }
    : { header: false, path: 0, label: 1 }
}

/**
 * Throws when line 1 reads like a header other than `path,label` (such as `filename,class`): its
 * path has no image extension and names no file. Without this it failed later as a missing image.
 */
async function rejectOtherHeader(args: {
  first: { fields: string[]; line: number } | undefined
  csvPath: string
}): Promise<void> {
  const { first, csvPath } = args
  const path = first?.fields[0]?.trim() ?? ''
  if (first === undefined || path === '') return
  if (IMAGE_EXTENSIONS.includes(extname(path).toLowerCase())) return
  if (await exists(resolve(dirname(csvPath), path))) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `${csvPath}: expected line ${first.line} to be the header path,label or a data row, found ` +
      `${JSON.stringify(first.fields.join(','))}, whose first field names no image file. Name ` +
      'the header columns path and label (any order, any case), or fix the path on that line.',
  )
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

function parseRow(args: {
  record: { fields: string[]; line: number }
  row: number
  columns: Columns
  csvPath: string
}): { path: string; label: string; origin: string } {
  const { record, columns, csvPath } = args
  const origin = `${basename(csvPath)} line ${record.line} (data row ${args.row})`
  const path = record.fields[columns.path]?.trim() ?? ''
  const label = record.fields[columns.label]?.trim() ?? ''
  if (path === '' || label === '') {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `${csvPath}: expected a path and a label on line ${record.line} (data row ${args.row}), ` +
        `found ${JSON.stringify(record.fields.join(','))}. Fix or delete the row.`,
    )
  }
  return { path: resolve(dirname(csvPath), path), label, origin }
}

function labelIndex(args: {
  label: string
  classNames: string[]
  origin: string
  given: boolean
}): number {
  const index = args.classNames.indexOf(args.label)
  if (index >= 0) return index
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected a label among ${JSON.stringify(args.classNames)} at ${args.origin}, found ` +
      `'${args.label}'. Fix the label${args.given ? ' or add it to the class list (data.classes)' : ''}.`,
  )
}

function requireEveryClass(args: {
  items: { label: number }[]
  classNames: string[]
  source: string | undefined
}): void {
  const counts = new Array<number>(args.classNames.length).fill(0)
  for (const item of args.items) counts[item.label] = (counts[item.label] ?? 0) + 1
  const empty = args.classNames.filter((_, i) => counts[i] === 0)
  if (empty.length === 0) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected at least one readable image per class in ${args.source}, found none for ` +
      `${empty.map((c) => `'${c}'`).join(', ')}. Add images, or remove the class.`,
  )
}

function noImagesError(dir: string, what: string): AblateError {
  return new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected images (${IMAGE_EXTENSIONS.join(', ')}) in ${what} ${dir}, found none. ` +
      'Add images or remove the folder.',
  )
}

function describeSources(options: LabelledImagesOptions): string {
  if (options.dir !== undefined && options.csv !== undefined) return 'both'
  return 'neither'
}

/**
 * Sorted labels: numerically when all are digits ('2' before '10': label n is class n), else by
 * code unit.
 */
function sortLabels(labels: Set<string>): string[] {
  const all = [...labels]
  if (all.every((label) => /^\d+$/.test(label))) return all.sort((a, b) => Number(a) - Number(b))
  return all.sort(compareCodeUnits)
}

/** Plain code-unit order, as Python's sorted() and so Keras's class indices. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
