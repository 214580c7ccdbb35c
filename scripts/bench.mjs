#!/usr/bin/env node
// Benchmark: wall time and peak memory (RSS summed over the whole process tree, sampled from /proc)
// of (1) the cdktf.json app command synthesizing every stack of every environment, and
// (2) the test suite (`npm test`). Targets on a 2-core machine: synth <= 1.5 s and <= 300 MB,
// tests <= 60 s. Usage: npm run bench [-- --synth-runs 5 --test-runs 1 --json .bench/results.json]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const synthRuns = Number(option("synth-runs", 5));
const testRuns = Number(option("test-runs", 1));
const jsonOut = option("json", ".bench/results.json");
const PAGE_KB = 4; // /proc/<pid>/statm counts 4 KiB pages on x86_64 Linux

/** RSS in KiB of `root` and all its descendants, read from /proc. */
function treeRssKb(root) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE_KB;
    } catch {
      // ended
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs a shell command, returning wall seconds, peak tree RSS in MB and the exit code. */
function measure(command, env) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn("bash", ["-c", command], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let peak = 0;
    const sample = () => (peak = Math.max(peak, treeRssKb(child.pid)));
    const timer = setInterval(sample, 20);
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, peakMb: peak / 1024, code, stderr });
    });
  });
}

const summary = (runs) => {
  const secs = runs.map((r) => r.seconds).sort((a, b) => a - b);
  const mem = runs.map((r) => r.peakMb).sort((a, b) => a - b);
  return { runs: runs.length, medianSeconds: secs[Math.floor(secs.length / 2)], maxSeconds: secs.at(-1), medianPeakMb: mem[Math.floor(mem.length / 2)], maxPeakMb: mem.at(-1) };
};

const app = JSON.parse(readFileSync("cdktf.json", "utf8")).app;
const results = { machine: { cpus: (await import("node:os")).cpus().length }, app };

const synth = [];
for (let i = 0; i < synthRuns; i++) {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  const run = await measure(app, { CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" });
  const stacks = run.code === 0 ? readdirSync(join(outdir, "stacks")).length : 0;
  rmSync(outdir, { recursive: true, force: true });
  if (run.code !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  synth.push({ ...run, stacks });
}
if (synthRuns > 0) results.synth = { ...summary(synth), stacks: synth[0]?.stacks, targetSeconds: 1.5, targetMb: 300 };

const tests = [];
for (let i = 0; i < testRuns; i++) {
  const run = await measure("npx jest --silent", { CI: "true" });
  if (run.code !== 0) {
    console.error(run.stderr.slice(-4000));
    process.exit(1);
  }
  tests.push(run);
}
if (testRuns > 0) results.tests = { ...summary(tests), targetSeconds: 60 };

const fmt = (s) => `${s.medianSeconds.toFixed(2)} s median (max ${s.maxSeconds.toFixed(2)} s), peak ${s.medianPeakMb.toFixed(0)} MB median (max ${s.maxPeakMb.toFixed(0)} MB) over ${s.runs} run(s)`;
if (results.synth) console.log(`synth (${app}), ${results.synth.stacks} stacks: ${fmt(results.synth)}  [target <= 1.5 s, <= 300 MB]`);
if (results.tests) console.log(`tests (npx jest): ${fmt(results.tests)}  [target <= 60 s]`);
mkdirSync(dirname(jsonOut), { recursive: true });
writeFileSync(jsonOut, JSON.stringify(results, null, 2) + "\n");
