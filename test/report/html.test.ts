import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { writeHtmlReport } from '../../src/report/html.js'
import type { ExperimentReport } from '../../src/report/types.js'
import { buildSampleReport, buildSampleReports, seedValues } from './html-sample.js'

/** Debian's chromium (CI installs it with apt in .ci/run); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const HAS_CHROMIUM = existsSync(CHROMIUM)
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** The samples plus one experiment whose names would break an unescaped page. */
function buildReports(): ExperimentReport[] {
  const hostile = buildSampleReport({
    experiment: 'names <script>alert("x")</script> & more',
    arms: [
      { name: '"><b>baseline</b>', values: seedValues(0.7) },
      { name: "it's <i>fine</i>", values: seedValues(0.72) },
    ],
  })
  return [...buildSampleReports(), hostile]
}

/** Everything the page did that a self-contained, script-free page must never do. */
interface PageTrouble {
  consoleErrors: string[]
  pageErrors: string[]
  foreignRequests: string[]
}

async function openReport(page: Page, url: string): Promise<PageTrouble> {
  const trouble: PageTrouble = { consoleErrors: [], pageErrors: [], foreignRequests: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => trouble.pageErrors.push(error.message))
  page.on('request', (request) => {
    if (request.url() !== url) trouble.foreignRequests.push(request.url())
  })
  await page.goto(url, { waitUntil: 'load' })
  return trouble
}

describe.skipIf(!HAS_CHROMIUM)('HTML report in headless chromium', () => {
  const reports = buildReports()
  let dir = ''
  let browser: Browser
  let page: Page
  let trouble: PageTrouble

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ablate-html-'))
    await writeHtmlReport({ reports, dir })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    trouble = await openReport(page, pathToFileURL(join(dir, 'index.html')).href)
  })

  afterAll(async () => {
    await browser?.close()
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  test('writes index.html alone (no temp file left behind)', async () => {
    expect(await readdir(dir)).toEqual(['index.html'])
  })

  test('loads without console errors, page errors or any other request', () => {
    expect(trouble.consoleErrors).toEqual([])
    expect(trouble.pageErrors).toEqual([])
    expect(trouble.foreignRequests).toEqual([])
  })

  test('shows one visible plot per experiment', async () => {
    const sections = page.locator('section.experiment')
    expect(await sections.count()).toBe(reports.length)
    for (let i = 0; i < reports.length; i++) {
      const svg = sections.nth(i).locator('figure.plot svg')
      expect(await svg.count()).toBe(1)
      const box = await svg.boundingBox()
      expect(box?.width ?? 0).toBeGreaterThan(300)
      expect(box?.height ?? 0).toBeGreaterThan(50)
    }
  })

  test('plots one point per finished run, one mean per arm and the baseline line', async () => {
    for (const [i, report] of reports.entries()) {
      const svg = page.locator('section.experiment').nth(i).locator('figure.plot svg')
      const finished = report.variants.flatMap((v) => v.runs).filter((r) => r.state !== 'failed')
      expect(await svg.locator('g.seed_points_marks path').count()).toBe(finished.length)
      expect(await svg.locator('g.mean_ticks_marks path').count()).toBe(report.variants.length)
      expect(
        await svg.locator('g.baseline_mean_marks line, g.baseline_mean_marks path').count(),
      ).toBe(1)
    }
  })

  test('has a verdict table per experiment with one row per arm, baseline first', async () => {
    for (const [i, report] of reports.entries()) {
      const rows = page.locator('section.experiment').nth(i).locator('table.verdicts tbody tr')
      expect(await rows.count()).toBe(report.variants.length)
      expect(await rows.first().getAttribute('class')).toBe('role-baseline')
      const firstName = await rows.first().locator('th').textContent()
      expect(firstName?.startsWith(report.baseline)).toBe(true)
    }
  })

  test('shows the regression gate where a committed baseline was compared', async () => {
    for (const [i, report] of reports.entries()) {
      const gate = page.locator('section.experiment').nth(i).locator('table.gate tbody tr')
      expect(await gate.count()).toBe(report.gate?.rows.length ?? 0)
    }
    expect(reports.some((report) => report.gate !== undefined)).toBe(true)
  })

  test('user text reads back exactly as given (escaped, not interpreted)', async () => {
    const last = reports.length - 1
    const heading = await page.locator('section.experiment').nth(last).locator('h2').textContent()
    expect(heading).toBe(reports[last]!.experiment)
    expect(await page.locator('section.experiment script, section.experiment b b').count()).toBe(0)
  })

  test('saves a screenshot when ABLATE_HTML_SCREENSHOT names a file', async () => {
    const path = process.env.ABLATE_HTML_SCREENSHOT
    if (path === undefined) return
    await page.screenshot({ path, fullPage: true })
    expect(existsSync(path)).toBe(true)
  })
})

describe.skipIf(HAS_CHROMIUM)(`HTML browser test skipped: no chromium at ${CHROMIUM}`, () => {
  test('install it (apt-get install chromium) or set CHROMIUM_PATH to run the browser test', () => {
    expect(HAS_CHROMIUM).toBe(false)
  })
})
