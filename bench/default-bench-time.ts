/**
 * Times the default `npm run bench` the way a newcomer meets it: a fresh clone (committed files only,
 * no store, no caches), run once cold, then once more with everything cached. Prints both wall times
 * and the exit codes. The clone shares this checkout's node_modules through a symlink, so no install
 * is timed.
 *
 *   npx tsx bench/default-bench-time.ts [--keep] [-- <extra vitest args>]
 *
 * Goals (issue 5): cold <= 10 minutes on 2 cores, warm <= 5 seconds.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

interface TimedRun {
  label: string
  wallMs: number
  /** User + system CPU seconds of the bench and all its workers (bash's `times`). */
  cpuSeconds: number | null
  exitCode: number | null
  logPath: string
}

const COLD_GOAL_MS = 10 * 60_000
const WARM_GOAL_MS = 5_000

async function cloneFresh(repo: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ablate-bench-clone-'))
  const clone = spawnSync('git', ['clone', '--quiet', repo, dir], { stdio: 'inherit' })
  if (clone.status !== 0) throw new Error(`git clone of ${repo} into ${dir} failed`)
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

function runBench(args: { dir: string; label: string; extra: string[] }): Promise<TimedRun> {
  const logPath = join(args.dir, `bench-${args.label}.log`)
  const log = createWriteStream(logPath)
  const started = performance.now()
  // bash's `times` prints the CPU time of every finished child: wall time alone depends on how busy
  // the machine is, CPU time much less.
  const quoted = args.extra.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  const script = `npm run bench -- ${quoted}; code=$?; echo "cpu-times:"; times; exit $code`
  const child = spawn('bash', ['-c', script], {
    cwd: args.dir,
    env: { ...process.env, ABLATE_FRESH: '', FORCE_COLOR: '0' },
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)

  return new Promise((done) => {
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - started
      log.end(async () => {
        const cpuSeconds = parseChildCpu(await readFile(logPath, 'utf8'))
        done({ label: args.label, wallMs, cpuSeconds, exitCode, logPath })
      })
    })
  })
}

/** The children's user and system time: the second line bash's `times` prints. */
function parseChildCpu(log: string): number | null {
  const tail = log.slice(log.lastIndexOf('cpu-times:'))
  const lines = tail.split('\n').filter((line) => /\d+m[\d.]+s/.test(line))
  const parts = lines[1]?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/)
  if (!parts) return null
  const [, um, us, sm, ss] = parts.map(Number)
  return (um ?? 0) * 60 + (us ?? 0) + (sm ?? 0) * 60 + (ss ?? 0)
}

function formatRun(run: TimedRun, goalMs: number): string {
  const seconds = (run.wallMs / 1000).toFixed(1)
  const verdict = run.wallMs <= goalMs ? 'meets' : 'MISSES'
  const cpu = run.cpuSeconds === null ? 'cpu ?' : `cpu ${run.cpuSeconds.toFixed(1)} s`
  return `${run.label.padEnd(5)} wall ${seconds.padStart(7)} s  ${cpu}  exit ${run.exitCode}  ${verdict} the goal of ${goalMs / 1000} s  (log: ${run.logPath})`
}

/** The lines of a bench log that name each experiment, its run counts and wall time, and the gate. */
async function summaryLines(logPath: string): Promise<string[]> {
  const text = await readFile(logPath, 'utf8')
  const wanted = /^(\S.*\.exp\.ts:\d+$|runs: |regression gate: |reports: )/
  return text.split('\n').filter((line) => wanted.test(line))
}

async function main() {
  const argv = process.argv.slice(2)
  const keep = argv.includes('--keep')
  const dashAt = argv.indexOf('--')
  const extra = dashAt >= 0 ? argv.slice(dashAt + 1) : []
  const repo = resolve('.')

  const dir = await cloneFresh(repo)
  console.log(`fresh clone of ${repo} at ${dir}`)
  const cold = await runBench({ dir, label: 'cold', extra })
  const warm = await runBench({ dir, label: 'warm', extra })
  for (const run of [cold, warm]) {
    console.log(`\n${run.label} run, per experiment:`)
    for (const line of await summaryLines(run.logPath)) console.log(`  ${line}`)
  }
  console.log('')
  console.log(formatRun(cold, COLD_GOAL_MS))
  console.log(formatRun(warm, WARM_GOAL_MS))

  if (!keep) await rm(dir, { recursive: true, force: true })
  else console.log(`kept ${dir} (store, caches, reports and logs)`)
}

await main()
